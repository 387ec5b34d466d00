package mor

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor/xmlscan"
)

// CLI is one caller ID of device_clis_get. Fields MOR did not send are nil.
type CLI struct {
	ID          int64
	CLI         *string
	Device      *string
	Description *string
	Domain      *string
	IVR         *string
	// AddedAt and UpdatedAt as MOR formats them: 2015-08-31 12:40:23 +0300.
	AddedAt       *string
	UpdatedAt     *string
	Comment       *string
	EmailCallback *bool
	Banned        *bool
}

// CLIFilter narrows device_clis_get; nil fields are not sent.
type CLIFilter struct {
	DeviceID *int64
	UserID   *int64
}

// CLIs lists caller IDs. No match gives an empty list.
func (c *Client) CLIs(ctx context.Context, f CLIFilter) ([]CLI, error) {
	p := url.Values{}
	if f.DeviceID != nil {
		p.Set("devices_id", strconv.FormatInt(*f.DeviceID, 10))
	}
	if f.UserID != nil {
		p.Set("users_id", strconv.FormatInt(*f.UserID, 10))
	}
	// device_clis_get hashes the key alone.
	return emptyIfNothingFound(c.clis.call(ctx, c, apiCall{method: methodCLIs, params: p}))
}

// clisHandler collects the flat groups of page/status/cli_*: there is no
// element per CLI, a new cli_id starts the next one.
type clisHandler struct {
	clis xmlscan.Records[CLI]
	cur  *CLI
	// inStatus: the element under <page> being read is <status>.
	inStatus bool
	shape    answerShape
	fields   fieldNames
	// numberless notes a CLI whose group had no <cli_cli>, which MOR always
	// sends: its fields may be elsewhere in the answer.
	numberless bool
	// outside is the first CLI field met outside <page><status>.
	outside string
}

func (h *clisHandler) Start(depth int, name string) {
	h.shape.start(depth, name)
	if depth == 2 {
		h.inStatus = name == "status" && h.shape.root == "page"
	}
}

func (h *clisHandler) Leaf(depth int, name, value string) error {
	if depth > 3 && h.inStatus {
		return nestedInField("CLI")
	}
	if depth != 3 || !h.inStatus {
		if strings.HasPrefix(name, "cli_") && h.outside == "" {
			h.outside = name
		}
		return nil
	}
	if name == "cli_id" {
		id, err := optID(name, value)
		if err != nil {
			return err
		}
		if id == nil {
			return xmlscan.SyntaxErrorf("an empty <cli_id>")
		}
		h.checkNumber()
		h.cur = h.clis.Add()
		h.cur.ID = *id
		h.fields.reset()
		return nil
	}
	if h.cur == nil {
		if len(name) > 4 && name[:4] == "cli_" {
			return xmlscan.SyntaxErrorf("<%s> before the first <cli_id>", name)
		}
		return nil
	}
	if err := h.fields.add("CLI", name); err != nil {
		return err
	}
	c := h.cur
	var err error
	switch name {
	case "cli_cli":
		c.CLI = optString(value)
	case "cli_device":
		c.Device = optString(value)
	case "cli_description":
		c.Description = optString(value)
	case "cli_domain":
		c.Domain = optString(value)
	case "cli_ivr":
		c.IVR = optString(value)
	case "cli_added_at":
		c.AddedAt = optString(value)
	case "cli_updated_at":
		c.UpdatedAt = optString(value)
	case "cli_comment":
		c.Comment = optString(value)
	case "cli_email_callback":
		c.EmailCallback, err = optBool(name, value)
	case "cli_banned":
		c.Banned, err = optBool(name, value)
	}
	return err
}

// checkNumber notes a finished CLI without its <cli_cli>.
func (h *clisHandler) checkNumber() {
	if h.cur != nil && !h.fields.has("cli_cli") {
		h.numberless = true
	}
}

func decodeCLIs(b *body) ([]CLI, string, error) {
	h := &clisHandler{shape: answerShape{container: "status"}}
	morErr, err := b.walk(h)
	if err != nil {
		return nil, "", err
	}
	h.checkNumber()
	clis := h.clis.All()
	switch {
	case morErr != "" && len(clis) > 0:
		return nil, "", recordsWithError(morErr)
	case morErr != "":
		return nil, morErr, nil
	case !h.shape.found:
		return nil, "", wrongShape(&h.shape, "<page><status>, a device_clis_get answer")
	case h.shape.containers > 1:
		return nil, "", h.shape.containerTwice()
	case h.outside != "":
		return nil, "", unexpectedAnswer("%s outside <page><status>, where a CLI's fields belong", tag(h.outside))
	case len(clis) == 0:
		return nil, "", unexpectedAnswer("the answer is %s holding no CLI, not a device_clis_get answer "+
			"(MOR answers \"CLIs were not found\" when there are none)", &h.shape)
	case h.numberless:
		return nil, "", unexpectedAnswer("a CLI record without <cli_cli>, which MOR always sends")
	}
	if err := duplicateID(clis, func(c *CLI) (int64, bool) { return c.ID, true }); err != nil {
		return nil, "", err
	}
	return clis, "", nil
}
