package mor

import (
	"context"
	"errors"
	"net/url"
	"strconv"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor/xmlscan"
)

// Device is one entry of devices_get. Fields MOR did not send are nil.
type Device struct {
	DeviceID      int64
	DeviceType    *string
	DevicegroupID *int64
	PrimaryDevice *bool
	Username      *string
	// Secret is the SIP password: sensitive.
	Secret   *string
	IPAddr   *string
	Port     *int64
	CallerID *string
}

// Devices lists the devices of a user (devices_get, or device_list on
// releases older than X4). A user without devices gives an empty list.
func (c *Client) Devices(ctx context.Context, userID int64) ([]Device, error) {
	id := strconv.FormatInt(userID, 10)
	call := apiCall{method: methodDevices, params: url.Values{"user_id": {id}}, hashed: []string{id}}
	if c.legacy.Load() {
		call.method = methodDeviceList
	}
	devices, err := c.devices.call(ctx, c, call)
	var apiErr *APIError
	if call.method == methodDevices && errors.As(err, &apiErr) && errors.Is(err, ErrUnsupported) {
		// Releases before X4 only know the old name; remember that.
		c.log(ctx, LevelDebug, "devices_get unknown to this MOR, using device_list", nil)
		c.legacy.Store(true)
		call.method = methodDeviceList
		devices, err = c.devices.call(ctx, c, call)
	}
	return emptyIfNothingFound(devices, err)
}

// devicesHandler collects page/devices/device/<field>.
type devicesHandler struct {
	devices   xmlscan.Records[Device]
	cur       *Device
	seenID    bool
	missingID bool
	shape     answerShape
	// inDevices: the element under <page> being read is <devices>; stray
	// is the first element in it that is not a <device>.
	inDevices bool
	stray     string
	fields    fieldNames
}

func (h *devicesHandler) Start(depth int, name string) {
	h.shape.start(depth, name)
	switch {
	case depth == 2:
		h.inDevices = name == "devices" && h.shape.root == "page"
	case depth == 3 && h.inDevices && name == "device":
		h.checkID()
		h.cur = h.devices.Add()
		h.seenID = false
		h.fields.reset()
	case depth == 3:
		// Fields outside a <device> belong to no device.
		h.checkID()
		h.cur = nil
		if h.inDevices && h.stray == "" {
			h.stray = name
		}
	}
}

// checkID notes a finished device that had no device_id: without one a
// device cannot be looked up or told apart.
func (h *devicesHandler) checkID() {
	if h.cur != nil && !h.seenID {
		h.missingID = true
	}
}

func (h *devicesHandler) Leaf(depth int, name, value string) error {
	if depth == 2 && name == "devices" && value != "" && h.shape.root == "page" {
		return containerText(name)
	}
	if h.cur == nil {
		return nil
	}
	if ok, err := h.fields.leaf("device", 4, depth, name); !ok {
		return err
	}
	d := h.cur
	var err error
	switch name {
	case "device_id":
		var id *int64
		if id, err = optID(name, value); id != nil {
			d.DeviceID, h.seenID = *id, true
		}
	case "device_type":
		d.DeviceType = optString(value)
	case "devicegroup_id":
		d.DevicegroupID, err = optInt(name, value)
	case "primary_device":
		d.PrimaryDevice, err = optBool(name, value)
	case "username":
		d.Username = optString(value)
	case "secret":
		d.Secret = optString(value)
	case "ipaddr":
		d.IPAddr = optString(value)
	case "port":
		d.Port, err = optInt(name, value)
	case "callerid":
		d.CallerID = optString(value)
	}
	return err
}

func decodeDevices(b *body) ([]Device, string, error) {
	h := &devicesHandler{shape: answerShape{container: "devices"}}
	morErr, err := b.walk(h)
	if err != nil {
		return nil, "", err
	}
	h.checkID()
	devices := h.devices.All()
	switch {
	case morErr != "" && len(devices) > 0:
		return nil, "", recordsWithError(morErr)
	case morErr != "":
		return nil, morErr, nil
	case !h.shape.found:
		return nil, "", wrongShape(&h.shape, "<page><devices>, a devices_get answer")
	case h.shape.containers > 1:
		return nil, "", h.shape.containerTwice()
	case h.stray != "":
		return nil, "", unexpectedAnswer("%s in <devices>, where only <device> records belong", tag(h.stray))
	case h.missingID:
		return nil, "", xmlscan.SyntaxErrorf("a <device> without <device_id>")
	}
	if err := duplicateID(devices, func(d *Device) (int64, bool) { return d.DeviceID, true }); err != nil {
		return nil, "", err
	}
	return devices, "", nil
}
