package mor

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// SecretDeviceFields are the device_details_get columns that hold secrets.
var SecretDeviceFields = []string{"secret", "md5secret", "remotesecret", "pin"}

// DeviceDetails is the record device_details_get returns.
type DeviceDetails struct {
	// ID is the device id: MOR's "id" column (2019 and later), else the id
	// that was asked for; nil when looked up by username on an old release.
	ID *int64
	// UserID is the owner's id ("user_id", 2019 and later).
	UserID *int64
	Port   *int64
	// CallLimit is MOR's call_limit column (0: no limit).
	CallLimit *int64
	// Fields holds every column exactly as MOR named it (e.g.
	// "session-timers"), trimmed. Secrets are among them: see
	// SecretDeviceFields.
	Fields map[string]string
	// AudioCodecs and VideoCodecs are the enabled codecs in priority order:
	// empty when MOR sends an empty list, nil when the record has none.
	AudioCodecs []string
	VideoCodecs []string
}

// DeviceQuery selects a device by ID or, on newer releases, by its
// username (device_u). Exactly one must be set.
type DeviceQuery struct {
	ID       *int64
	Username string
}

// DeviceDetails reads one device. A device that does not exist or is not
// in the API user's scope is an *APIError matching ErrNotFound.
func (c *Client) DeviceDetails(ctx context.Context, q DeviceQuery) (*DeviceDetails, error) {
	call := apiCall{method: methodDeviceDetails, params: url.Values{}}
	switch {
	case q.ID != nil && q.Username == "":
		id := strconv.FormatInt(*q.ID, 10)
		call.params.Set("device_id", id)
		call.hashed = []string{id}
	case q.ID == nil && q.Username != "":
		// With device_u alone the hash is the key alone.
		call.params.Set("device_u", q.Username)
	default:
		return nil, errors.New("a device lookup needs exactly one of an id or a username")
	}
	d, err := c.details.call(ctx, c, call)
	if err != nil {
		return nil, err
	}
	// A release sends id in every record or in none, refused ones
	// included: a record without it from a server that sent it before could
	// be any device's.
	if _, hasID := d.Fields["id"]; hasID {
		c.detailsHaveIDs.Store(true)
	} else if q.ID != nil && c.detailsHaveIDs.Load() {
		return nil, refusedAnswer(call.method, unexpectedAnswer("a device record without <id>, where this MOR's earlier records had one, so it cannot be told to be device %d's", *q.ID))
	}
	if err := d.isFor(q); err != nil {
		return nil, refusedAnswer(call.method, err)
	}
	if d.ID == nil && q.ID != nil {
		cp := *d
		cp.ID = q.ID
		d = &cp
	}
	return d, nil
}

// isFor refuses the record of another device than the one asked for: its
// credentials would be handed on as the asked device's.
func (d *DeviceDetails) isFor(q DeviceQuery) error {
	if q.ID != nil && d.ID != nil && *d.ID != *q.ID {
		return unexpectedAnswer("the answer is the record of device %d, not of device %d asked for", *d.ID, *q.ID)
	}
	// MOR finds device_u in MySQL, whose default collation ignores case.
	if q.Username != "" {
		if got, ok := d.Fields["username"]; !ok || !strings.EqualFold(got, q.Username) {
			return unexpectedAnswer("the answer is the record of another device, not of the device with the username asked for")
		}
	}
	return nil
}

// detailsHandler collects page/<column> and page/codecs/<kind>_codecs.
type detailsHandler struct {
	d     *DeviceDetails
	shape answerShape
	// top is the element under <page> being read.
	top string
	// problem is the first thing wrong with the record's fields, reported
	// before MOR's error: an <error> inside a field is no error of MOR's.
	problem error
	// codecs, audio and video note the codec elements met, to refuse one
	// given twice as a column would be.
	codecs, audio, video bool
}

func (h *detailsHandler) Start(depth int, name string) {
	h.shape.start(depth, name)
	if depth == 2 {
		h.top = name
		if name == "codecs" {
			h.note(h.codecs, "<codecs>")
			h.codecs = true
		}
	}
}

// note keeps the first problem: a codec element given twice.
func (h *detailsHandler) note(twice bool, what string) {
	if twice && h.problem == nil {
		h.problem = unexpectedAnswer("a device record gives %s twice", what)
	}
}

func (h *detailsHandler) Leaf(depth int, name, value string) error {
	switch {
	case h.problem != nil:
	case depth == 2 && name == "codecs" && value != "":
		h.problem = unexpectedAnswer("a device record's <codecs> holds a value where <audio_codecs> and <video_codecs> belong")
	case h.belowColumn(depth, name):
		h.problem = nestedInField("device")
	case depth == 2 && name != "codecs":
		if _, twice := h.d.Fields[name]; twice {
			return unexpectedAnswer("a device record gives %s twice", tag(name))
		}
		h.d.Fields[name] = value
	case depth == 3 && h.top == "codecs" && name == "audio_codecs":
		h.note(h.audio, "<audio_codecs>")
		h.audio, h.d.AudioCodecs = true, splitCodecs(value)
	case depth == 3 && h.top == "codecs" && name == "video_codecs":
		h.note(h.video, "<video_codecs>")
		h.video, h.d.VideoCodecs = true, splitCodecs(value)
	}
	return nil
}

// belowColumn reports whether a leaf at depth lies inside one of the record's
// columns: nothing does but a codec list in <codecs>, and MOR's error shapes
// <page><status><error> and <page><status><status>.
func (h *detailsHandler) belowColumn(depth int, name string) bool {
	switch {
	case depth < 3:
		return false
	case depth > 3:
		return true
	case h.top == "codecs":
		return false
	case h.top == "status":
		return name != "error" && name != "status"
	}
	return true
}

func splitCodecs(v string) []string {
	out := []string{}
	for _, c := range strings.Split(v, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func decodeDeviceDetails(b *body) (*DeviceDetails, string, error) {
	// A device record has about 150 columns; sizing the map once saves
	// growing it several times on each lookup.
	h := &detailsHandler{d: &DeviceDetails{Fields: make(map[string]string, 160)}}
	morErr, err := b.walk(h)
	if err != nil {
		return nil, "", err
	}
	d := h.d
	// A device record is a <page> holding its columns: id (2019 and
	// later) or username (every release) says it is one.
	_, hasID := d.Fields["id"]
	_, hasUsername := d.Fields["username"]
	record := h.shape.root == "page" && (hasID || hasUsername)
	switch {
	case h.problem != nil && (record || morErr != ""):
		return nil, "", h.problem
	case morErr != "" && record:
		return nil, "", recordsWithError(morErr)
	case morErr != "":
		return nil, morErr, nil
	case !record:
		return nil, "", wrongShape(&h.shape, "a device record (<page> holding <id> or <username>), a device_details_get answer")
	}
	if d.ID, err = optID("id", d.Fields["id"]); err != nil {
		return nil, "", err
	}
	for name, dst := range map[string]**int64{"user_id": &d.UserID, "port": &d.Port, "call_limit": &d.CallLimit} {
		if *dst, err = optInt(name, d.Fields[name]); err != nil {
			return nil, "", err
		}
	}
	// An id column MOR left empty would pass for the device asked for,
	// whatever record this is.
	if hasID && d.ID == nil {
		return nil, "", unexpectedAnswer("a device record whose <id> is empty")
	}
	return d, "", nil
}
