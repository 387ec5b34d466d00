package morsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

// Dataset is what the simulated MOR holds. It loads from JSON (LoadFile) or
// is made by Generate.
type Dataset struct {
	// APIKey is the system's API secret key; empty gives MOR's
	// "API must have Secret Key".
	APIKey  string   `json:"api_key"`
	Users   []User   `json:"users"`
	Devices []Device `json:"devices"`
	DIDs    []DID    `json:"dids"`
	CLIs    []CLI    `json:"clis"`
}

// Roles of a MOR user.
const (
	RoleAdmin      = "admin"
	RoleReseller   = "reseller"
	RoleAccountant = "accountant"
	RoleUser       = "user"
	RolePartner    = "partner"
)

// Permissions an accountant (all four) or a reseller ("clis") needs.
const (
	PermDevices = "devices"
	PermDIDs    = "dids"
	PermCLIs    = "clis"
	PermUsers   = "users"
)

// User is a MOR user. The admin is user 0.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	// Name is the display name MOR shows as a DID's owner.
	Name string `json:"name"`
	Role string `json:"role"`
	// OwnerID is the admin (0) or the reseller (or, for a reseller, the
	// partner) that owns this user.
	OwnerID     int64    `json:"owner_id"`
	Permissions []string `json:"permissions,omitempty"`
	// Password is the login password users_get checks; empty: none can
	// match.
	Password string `json:"password,omitempty"`
	// UniqueHash is the user's unique hash, which users_get accepts in
	// place of the password.
	UniqueHash string `json:"uniquehash,omitempty"`
	FirstName  string `json:"first_name,omitempty"`
	LastName   string `json:"last_name,omitempty"`
	// Balance as MOR formats it (12.5000); empty is 0.0000.
	Balance string `json:"balance,omitempty"`
	Blocked bool   `json:"blocked,omitempty"`
	// Hidden is hidden from MOR's user lists (users_get sends it from late
	// 2025).
	Hidden   bool  `json:"hidden,omitempty"`
	LCRID    int64 `json:"lcr_id,omitempty"`
	TariffID int64 `json:"tariff_id,omitempty"`
}

func (u *User) can(perm string) bool {
	for _, p := range u.Permissions {
		if p == perm {
			return true
		}
	}
	return false
}

// Device is a MOR device. Fields holds its columns by MOR's names
// (device_type, username, secret, ipaddr, port, callerid, permit, ...);
// columns not given take the values of the documentation's sample record.
type Device struct {
	ID            int64             `json:"id"`
	UserID        int64             `json:"user_id"`
	DevicegroupID int64             `json:"devicegroup_id,omitempty"`
	Primary       bool              `json:"primary,omitempty"`
	Fields        map[string]string `json:"fields"`
	AudioCodecs   []string          `json:"audio_codecs,omitempty"`
	VideoCodecs   []string          `json:"video_codecs,omitempty"`
}

// Field returns a column's value, falling back to the sample record.
func (d *Device) Field(name string) string {
	if v, ok := d.Fields[name]; ok {
		return v
	}
	return detailDefaults[name]
}

// DID is a MOR DID (phone number).
type DID struct {
	ID     int64  `json:"id"`
	Number string `json:"did"`
	// Status is one of free, reserved, active, closed, terminated.
	Status       string `json:"status"`
	ProviderID   int64  `json:"provider_id"`
	ProviderName string `json:"provider"`
	Language     string `json:"language,omitempty"`
	// ResellerID is the reseller the DID is assigned to (0: none).
	ResellerID int64 `json:"reseller_id,omitempty"`
	// UserID is the owner (0: the admin).
	UserID   int64 `json:"user_id,omitempty"`
	DeviceID int64 `json:"device_id,omitempty"`
	// DialplanID, with its name and type, when the DID goes to a dial plan.
	DialplanID   int64  `json:"dialplan_id,omitempty"`
	DialplanName string `json:"dialplan_name,omitempty"`
	DialplanType string `json:"dialplan_type,omitempty"`
	// CallLimit is the simultaneous call limit (0: Unlimited).
	CallLimit int    `json:"call_limit,omitempty"`
	Comment   string `json:"comment,omitempty"`
	ToneZone  string `json:"tone_zone,omitempty"`
}

// CLI is a caller ID of a device.
type CLI struct {
	ID            int64  `json:"id"`
	DeviceID      int64  `json:"device_id"`
	CLI           string `json:"cli"`
	Description   string `json:"description,omitempty"`
	Domain        string `json:"domain,omitempty"`
	IVR           string `json:"ivr,omitempty"`
	AddedAt       string `json:"added_at"`
	UpdatedAt     string `json:"updated_at"`
	Comment       string `json:"comment,omitempty"`
	EmailCallback bool   `json:"email_callback,omitempty"`
	Banned        bool   `json:"banned,omitempty"`
}

// LoadFile reads a JSON dataset.
func LoadFile(path string) (*Dataset, error) {
	raw, err := os.ReadFile(path) //nolint:gosec // the path is the operator's own -data flag
	if err != nil {
		return nil, err
	}
	// A misspelt field of a dataset edited by hand is an error, not a
	// field silently left at its zero value.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var d Dataset
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: more after the dataset's JSON object", path)
	}
	return &d, nil
}

// Sizes says how much Generate makes.
type Sizes struct {
	Resellers int
	Users     int
	Devices   int
	DIDs      int
	CLIs      int
}

// DemoSizes is the dataset of `make demo` and cmd/morsim's default: a few
// hundred devices over a few resellers and users.
var DemoSizes = Sizes{Resellers: 3, Users: 24, Devices: 300, DIDs: 200, CLIs: 150}

// DemoSeed is the seed of the demo dataset.
const DemoSeed = 1

// DefaultAPIKey is the key of generated datasets.
const DefaultAPIKey = "sim-secret-key"

// Generate makes a deterministic dataset of the given sizes. It always
// holds these API users: admin (user 0), accountant (every permission),
// accountant_norights (none), reseller1… (resellerN), user1… (userN).
// Users are spread over the admin and the resellers; devices over users;
// DIDs over every status; CLIs over devices. Every user's password is
// PasswordOf(username); every fifth user is blocked.
func Generate(seed uint64, n Sizes) *Dataset {
	rng := rand.New(rand.NewPCG(seed, 0x6d6f72)) //nolint:gosec // datasets must be repeatable, not secret
	d := &Dataset{APIKey: DefaultAPIKey}
	d.Users = append(d.Users,
		User{ID: 0, Username: "admin", Name: "System Admin", Role: RoleAdmin},
		User{ID: 1, Username: "accountant", Name: "Ann Accountant", Role: RoleAccountant, Permissions: []string{PermDevices, PermDIDs, PermCLIs, PermUsers}},
		User{ID: 2, Username: "accountant_norights", Name: "Norm Accountant", Role: RoleAccountant},
	)
	nextID := int64(3)
	var resellers []int64
	for i := 1; i <= n.Resellers; i++ {
		d.Users = append(d.Users, User{ID: nextID, Username: "reseller" + strconv.Itoa(i), Name: "Reseller " + strconv.Itoa(i), Role: RoleReseller, Permissions: []string{PermCLIs}})
		resellers = append(resellers, nextID)
		nextID++
	}
	var users []int64
	ownerOf := map[int64]int64{}
	for i := 1; i <= n.Users; i++ {
		owner := int64(0)
		// Every other user belongs to a reseller, round robin.
		if len(resellers) > 0 && i%2 == 0 {
			owner = resellers[(i/2-1)%len(resellers)]
		}
		d.Users = append(d.Users, User{ID: nextID, Username: "user" + strconv.Itoa(i), Name: firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames))%len(lastNames)] + " " + strconv.Itoa(i), Role: RoleUser, OwnerID: owner})
		users = append(users, nextID)
		ownerOf[nextID] = owner
		nextID++
	}

	// Credentials in columns whose names do not say so (auth, setvar) come
	// from a stream of their own, so adding them left the rest unchanged.
	credRNG := rand.New(rand.NewPCG(seed, 0x61757468)) //nolint:gosec // datasets must be repeatable, not secret
	types := []string{"SIP", "SIP", "SIP", "IAX2"}
	audio := [][]string{{"alaw", "ulaw", "g729"}, {"ulaw", "alaw"}, {"g722", "alaw"}, {}}
	for i := 1; i <= n.Devices && len(users) > 0; i++ {
		id := int64(100 + i)
		userID := users[(i-1)%len(users)]
		typ := types[rng.IntN(len(types))]
		name := strconv.FormatInt(1000+id, 10)
		permit := "0.0.0.0/0.0.0.0"
		host := "dynamic"
		ip := "0.0.0.0"
		port := "0"
		if rng.IntN(3) > 0 {
			ip = fmt.Sprintf("10.%d.%d.%d", rng.IntN(250), rng.IntN(250), 1+rng.IntN(250))
			host, port = ip, strconv.Itoa([]int{5060, 5060, 5080, 4569}[rng.IntN(4)])
			permit = ip + "/255.255.255.255"
		}
		callLimit := strconv.Itoa([]int{0, 2, 5, 10}[rng.IntN(4)])
		dev := Device{
			ID: id, UserID: userID, DevicegroupID: userID, Primary: (i - 1) < len(users),
			Fields: map[string]string{
				"name": name, "username": name, "defaultuser": name, "extension": name, "accountcode": strconv.FormatInt(id, 10),
				"device_type": typ, "host": host, "ipaddr": ip, "port": port, "permit": permit,
				"secret": fmt.Sprintf("sipsecret-%x", rng.Uint64()), "callerid": fmt.Sprintf("\"%s\" <%s>", name, name),
				"description": fmt.Sprintf("Device %d of user %d", id, userID), "call-limit": callLimit, "call_limit": callLimit,
				"transport": []string{"udp", "tcp", "udp,tcp"}[rng.IntN(3)], "nat": []string{"yes", "no"}[rng.IntN(2)],
				"context": "mor_local", "dtmfmode": "rfc2833", "language": []string{"en", "lt", ""}[rng.IntN(3)],
				"auth":   fmt.Sprintf("%s:authsecret-%x@mor", name, credRNG.Uint64()),
				"setvar": fmt.Sprintf("ACCOUNT_PASSWORD=setvarsecret-%x", credRNG.Uint64()),
			},
			AudioCodecs: audio[rng.IntN(len(audio))],
		}
		if rng.IntN(5) == 0 {
			dev.VideoCodecs = []string{"h264"}
		}
		// PINs and the rarer secrets are long enough that finding one in a
		// file cannot be chance.
		if rng.IntN(4) == 0 {
			dev.Fields["pin"] = fmt.Sprintf("%d%06d", 1000+rng.IntN(9000), credRNG.IntN(1000000))
		} else {
			if credRNG.IntN(4) == 0 {
				dev.Fields["md5secret"] = fmt.Sprintf("%016x%016x", credRNG.Uint64(), credRNG.Uint64())
			}
			if credRNG.IntN(5) == 0 {
				dev.Fields["remotesecret"] = fmt.Sprintf("remotesecret-%x", credRNG.Uint64())
			}
		}
		d.Devices = append(d.Devices, dev)
	}

	statuses := []string{"free", "reserved", "active", "active", "active", "closed", "terminated"}
	for i := 1; i <= n.DIDs; i++ {
		did := DID{
			ID: int64(6500 + i), Number: fmt.Sprintf("3706%07d", 1000000+i*7),
			Status: statuses[rng.IntN(len(statuses))], ProviderID: int64(1 + rng.IntN(2)),
			Language: []string{"en", "lt", ""}[rng.IntN(3)], ToneZone: []string{"it", "lt", ""}[rng.IntN(3)],
		}
		did.ProviderName = "Provider " + strconv.FormatInt(did.ProviderID, 10)
		switch did.Status {
		case "active":
			if len(d.Devices) > 0 && rng.IntN(5) > 0 {
				dev := d.Devices[rng.IntN(len(d.Devices))]
				did.DeviceID, did.UserID, did.ResellerID = dev.ID, dev.UserID, ownerOf[dev.UserID]
			} else {
				did.DialplanID = int64(1 + rng.IntN(2))
				did.DialplanName, did.DialplanType = []string{"", "testDialPlan", "IVR menu"}[did.DialplanID], []string{"", "authbypin", "ivr"}[did.DialplanID]
			}
			did.CallLimit = []int{0, 0, 2, 10}[rng.IntN(4)]
		case "reserved":
			if len(users) > 0 {
				did.UserID = users[rng.IntN(len(users))]
				did.ResellerID = ownerOf[did.UserID]
			}
		}
		if rng.IntN(6) == 0 {
			did.Comment = "ported from old carrier"
		}
		d.DIDs = append(d.DIDs, did)
	}

	for i := 1; i <= n.CLIs && len(d.Devices) > 0; i++ {
		dev := d.Devices[rng.IntN(len(d.Devices))]
		c := CLI{
			ID: int64(i), DeviceID: dev.ID, CLI: fmt.Sprintf("3705%07d", 2000000+i*3),
			Description: "CLI " + strconv.Itoa(i), AddedAt: fmt.Sprintf("2015-08-%02d 12:40:23 +0300", 1+i%28),
			UpdatedAt: fmt.Sprintf("2016-01-%02d 16:14:48 +0300", 1+i%28), EmailCallback: rng.IntN(4) == 0, Banned: rng.IntN(10) == 0,
		}
		if rng.IntN(3) == 0 {
			c.Comment = "main number"
		}
		if rng.IntN(5) == 0 {
			c.IVR = "Main IVR"
		}
		d.CLIs = append(d.CLIs, c)
	}
	for i := range d.Users {
		u := &d.Users[i]
		u.Password = PasswordOf(u.Username)
		u.UniqueHash = UniqueHashOf(u.Username)
		u.FirstName, u.LastName, _ = strings.Cut(u.Name, " ")
		u.Balance = fmt.Sprintf("%d.%04d", rng.IntN(500), 2500*rng.IntN(4))
		u.Blocked = u.Role == RoleUser && u.ID%5 == 0
		u.Hidden = u.Role == RoleUser && u.ID%7 == 3
		u.LCRID, u.TariffID = int64(1+rng.IntN(2)), int64(1+rng.IntN(3))
	}
	return d
}

// PasswordOf is the login password Generate gives a user.
func PasswordOf(username string) string { return username + "-pass" }

// UniqueHashOf is the unique hash Generate gives a user.
func UniqueHashOf(username string) string { return HashOf("unique " + username)[:10] }

var (
	firstNames = []string{"Jonas", "Ona", "Petras", "Rasa", "Tomas", "Egle", "Mantas", "Greta"}
	lastNames  = []string{"Kazlauskas", "Petraitis", "Jankauskas", "Zukauskas", "Butkus"}
)
