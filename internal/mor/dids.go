package mor

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor/xmlscan"
)

// DID is one entry of dids_get. Fields MOR did not send are nil.
type DID struct {
	ID       *int64
	Number   string
	Provider *string
	Language *string
	// Status as MOR shows it, capitalised: Free, Reserved, Active, Closed,
	// Terminated.
	Status                *string
	Reseller              *string
	Owner                 *string
	Device                *string
	DialPlan              *string
	SimultaneousCallLimit *string
	Comment               *string
	ToneZone              *string
}

// DIDStatuses are the values DIDFilter.Status accepts.
var DIDStatuses = []string{"free", "reserved", "active", "closed", "terminated"}

// DIDFilter holds dids_get's search parameters; zero values are not sent.
type DIDFilter struct {
	// Number is matched by MOR with SQL LIKE: exact unless it holds '%' or '_'.
	Number string
	Status string
	// Owner is the owner's display name.
	Owner          string
	DialplanID     *int64
	UserID         *int64
	DeviceID       *int64
	ProviderID     *int64
	Language       string
	HideTerminated *bool
}

// DIDs searches DIDs. No match gives an empty list.
func (c *Client) DIDs(ctx context.Context, f DIDFilter) ([]DID, error) {
	p := url.Values{}
	setIf := func(k, v string) {
		if v != "" {
			p.Set(k, v)
		}
	}
	setInt := func(k string, v *int64) {
		if v != nil {
			p.Set(k, strconv.FormatInt(*v, 10))
		}
	}
	status := strings.ToLower(f.Status)
	byClient := statusFilteredHere(status)
	setIf("search_did_number", f.Number)
	if !byClient {
		setIf("search_status", status)
	}
	setIf("search_did_owner", f.Owner)
	setInt("search_dialplan", f.DialplanID)
	setInt("search_user", f.UserID)
	setInt("search_device", f.DeviceID)
	setInt("search_provider", f.ProviderID)
	setIf("search_language", f.Language)
	if f.HideTerminated != nil {
		p.Set("search_hide_terminated_dids", map[bool]string{true: "1", false: "0"}[*f.HideTerminated])
	}
	// dids_get hashes the key alone: the filters are not part of it.
	dids, err := emptyIfNothingFound(c.dids.call(ctx, c, apiCall{method: methodDIDs, params: p}))
	if err != nil {
		return nil, err
	}
	switch {
	case status == "":
		return dids, nil
	case byClient:
		dids, err = withStatus(dids, status)
	default:
		err = allInStatus(dids, status)
	}
	if err != nil {
		return nil, refusedAnswer(methodDIDs, err)
	}
	return dids, nil
}

// statusFilteredHere tells whether a status search is made without
// search_status and filtered here: for an admin or accountant MOR turns
// reserved into "status = reserved OR reseller_id > 0" (whatever the other
// filters say) and adds reseller_id = 0 to free and active, and without a
// status the other filters work as documented.
func statusFilteredHere(status string) bool {
	return status == "free" || status == "active" || status == "reserved"
}

// withStatus keeps the DIDs of a status; a DID without one, or with one
// MOR does not have, cannot be placed, so the answer is refused rather than
// a DID silently dropped.
func withStatus(dids []DID, status string) ([]DID, error) {
	out := make([]DID, 0, len(dids))
	for _, d := range dids {
		if d.Status == nil {
			return nil, unexpectedAnswer("a DID without <status>, so the DIDs in status %s cannot be told apart; "+
				"search without status to see them all", status)
		}
		if !slices.ContainsFunc(DIDStatuses, func(known string) bool { return EqualFoldASCII(known, *d.Status) }) {
			return nil, unexpectedAnswer("a DID whose <status> is none of %s, so the DIDs in status %s cannot be told apart; "+
				"search without status to see them all", strings.Join(DIDStatuses, ", "), status)
		}
		if EqualFoldASCII(*d.Status, status) {
			out = append(out, d)
		}
	}
	return out, nil
}

// allInStatus checks an answer MOR filtered by status itself: a DID in
// another status means MOR did not do the search asked for, and showing it
// would put it in the wrong list. A DID without <status> is MOR's to place.
func allInStatus(dids []DID, status string) error {
	for _, d := range dids {
		if d.Status != nil && !EqualFoldASCII(*d.Status, status) {
			return unexpectedAnswer("a DID in another status to a search for status %s; search without status to see what MOR holds", status)
		}
	}
	return nil
}

// didsHandler collects page/dids/did/<field>.
type didsHandler struct {
	dids xmlscan.Records[DID]
	cur  *DID
	// inDIDs: the element under <page> being read is <dids>; stray is the
	// first element in it that is not a <did>.
	inDIDs bool
	stray  string
	shape  answerShape
	fields fieldNames
}

func (h *didsHandler) Start(depth int, name string) {
	h.shape.start(depth, name)
	switch {
	case depth == 2:
		h.inDIDs = name == "dids" && h.shape.root == "page"
	case depth == 3 && h.inDIDs && name == "did":
		h.cur = h.dids.Add()
		h.fields.reset()
	case depth == 3:
		h.cur = nil
		if h.inDIDs && h.stray == "" {
			h.stray = name
		}
	}
}

func (h *didsHandler) Leaf(depth int, name, value string) error {
	if depth == 2 && name == "dids" && value != "" && h.shape.root == "page" {
		return containerText(name)
	}
	if depth == 3 && h.inDIDs && name == "did" {
		// Not quoted: whatever it holds is no DID's fields.
		return unexpectedAnswer("a <did> record holding no fields")
	}
	if h.cur == nil {
		return nil
	}
	if ok, err := h.fields.leaf("DID", 4, depth, name); !ok {
		return err
	}
	d := h.cur
	var err error
	switch name {
	case "id":
		d.ID, err = optID(name, value)
	case "did":
		d.Number = value
	case "provider":
		d.Provider = optString(value)
	case "language":
		d.Language = optString(value)
	case "status":
		d.Status = optString(value)
	case "reseller":
		d.Reseller = optString(value)
	case "owner":
		d.Owner = optString(value)
	case "device":
		d.Device = optString(value)
	case "dial_plan":
		d.DialPlan = optString(value)
	case "simultaneous_call_limit":
		d.SimultaneousCallLimit = optString(value)
	case "comment":
		d.Comment = optString(value)
	case "tone_zone":
		d.ToneZone = optString(value)
	}
	return err
}

func decodeDIDs(b *body) ([]DID, string, error) {
	h := &didsHandler{shape: answerShape{container: "dids"}}
	morErr, err := b.walk(h)
	if err != nil {
		return nil, "", err
	}
	dids := h.dids.All()
	switch {
	case morErr != "" && len(dids) > 0:
		return nil, "", recordsWithError(morErr)
	case morErr != "":
		return nil, morErr, nil
	case !h.shape.found:
		return nil, "", wrongShape(&h.shape, "<page><dids>, a dids_get answer")
	case h.shape.containers > 1:
		return nil, "", h.shape.containerTwice()
	case h.stray != "":
		return nil, "", unexpectedAnswer("%s in <dids>, where only <did> records belong", tag(h.stray))
	}
	for i := range dids {
		if dids[i].Number == "" {
			return nil, "", unexpectedAnswer("a DID record without its number (<did>), which MOR always sends")
		}
	}
	if err := duplicateID(dids, func(d *DID) (int64, bool) {
		if d.ID == nil {
			return 0, false
		}
		return *d.ID, true
	}); err != nil {
		return nil, "", err
	}
	return dids, "", nil
}
