package provider

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// What the protocol server does with requests Terraform never sends but a
// broken or hostile peer could: it must answer as the framework would, or
// better, and never die. Found by attacking it (issue 23).

// A configuration that is not a value of the schema (a header claiming four
// billion elements, an attribute twice, a NaN number) is refused with an
// error by both RPCs. tftypes sizes memory by such a header or panics, and no
// RPC handler recovers, so the framework's own validation would kill the
// provider.
func TestMalformedConfigurationsRefused(t *testing.T) {
	t.Parallel()
	server, schemas, sim := configuredPeer(t)
	typ := objectType(t, schemas, "mor_device")
	id := msgpackOf(t, sim.Data.Devices[0].ID)
	for name, entries := range map[string][]configEntry{
		"a list header of 2^32-1 elements": configEntries(typ, map[string][]byte{"device_id": id, "audio_codecs": {0xdd, 0xff, 0xff, 0xff, 0xff, 0xa1, 'x'}}),
		"a map header of 2^32-1 entries":   configEntries(typ, map[string][]byte{"device_id": id, "attributes": {0xdf, 0xff, 0xff, 0xff, 0xff, 0xa1, 'k', 0xa1, 'v'}}),
		"device_id twice, another left out": func() []configEntry {
			entries := configEntries(typ, map[string][]byte{"device_id": id})
			entries[1] = entries[0]
			return entries
		}(),
		"an attribute twice, out of order, another left out": func() []configEntry {
			entries := configEntries(typ, map[string][]byte{"device_id": id})
			entries[0], entries[1] = entries[1], entries[0]
			entries[2] = entries[0]
			return entries
		}(),
		"a NaN device_id": configEntries(typ, map[string][]byte{"device_id": msgpackOf(t, math.NaN())}),
	} {
		config := &tfprotov6.DynamicValue{MsgPack: msgpackObject(entries)}
		read, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "mor_device", Config: config})
		if err != nil || !convertError(read.Diagnostics) || read.State != nil {
			t.Errorf("%s: read: %v, %s, state %v; want Unable to Convert Configuration", name, err, diagnosticsText(read.Diagnostics), read.State != nil)
		}
		valid, err := server.ValidateDataResourceConfig(context.Background(), &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "mor_device", Config: config})
		if err != nil || !convertError(valid.Diagnostics) {
			t.Errorf("%s: validate: %v, %s; want Unable to Convert Configuration", name, err, diagnosticsText(valid.Diagnostics))
		}
	}
}

// A value holding both JSON and msgpack is read from its JSON, as tftypes
// and so the framework read it: both RPCs see the configuration the
// framework would.
func TestConfigurationReadFromJSONFirst(t *testing.T) {
	t.Parallel()
	server, schemas, sim := configuredPeer(t)
	typ := objectType(t, schemas, "mor_device")
	adminDevice := sim.adminDeviceWithPIN(t)
	asJSON := func(deviceID string) []byte {
		var parts []string
		for _, e := range configEntries(typ, nil) {
			value := "null"
			if e.name == "device_id" {
				value = deviceID
			}
			parts = append(parts, fmt.Sprintf("%q: %s", e.name, value))
		}
		return []byte("{" + strings.Join(parts, ", ") + "}")
	}
	msgpackOfOther := msgpackObject(configEntries(typ, map[string][]byte{"device_id": msgpackOf(t, int64(424242))}))
	read, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "mor_device",
		Config: &tfprotov6.DynamicValue{MsgPack: msgpackOfOther, JSON: asJSON(fmt.Sprint(adminDevice.ID))}})
	if err != nil || len(read.Diagnostics) > 0 {
		t.Fatalf("read: %v %s", err, diagnosticsText(read.Diagnostics))
	}
	state := stateOf(t, read, typ)
	var attrs map[string]tftypes.Value
	var name string
	if err := state.As(&attrs); err != nil || attrs["name"].As(&name) != nil || name != adminDevice.Fields["name"] {
		t.Errorf("read device %q, want the JSON's device %q (%v)", name, adminDevice.Fields["name"], err)
	}
	valid, err := server.ValidateDataResourceConfig(context.Background(), &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "mor_device",
		Config: &tfprotov6.DynamicValue{MsgPack: msgpackOfOther, JSON: asJSON("0")}})
	if err != nil || len(valid.Diagnostics) == 0 {
		t.Errorf("validate: device_id = 0 in the JSON accepted (%v)", err)
	}
}

// A second configuration that fails leaves the provider unconfigured, as
// the framework forgets its provider data: no read with the first one's
// credentials.
func TestFailedReconfigurationLeavesNoClient(t *testing.T) {
	t.Parallel()
	server, schemas, sim := configuredPeer(t)
	providerType := schemas.Provider.ValueType()
	unknownURL := objectOf(providerType, map[string]tftypes.Value{"url": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})
	configured, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{Config: dynamicValue(t, providerType, unknownURL)})
	if err != nil || len(configured.Diagnostics) == 0 {
		t.Fatalf("the second configuration did not fail: %v", err)
	}
	typ := schemas.DataSourceSchemas["mor_device"].ValueType()
	read, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "mor_device",
		Config: dynamicValue(t, typ, objectOf(typ, map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.Number, sim.Data.Devices[0].ID)}))})
	// The framework answers it, with the state Terraform ignores beside an error.
	if err != nil || len(read.Diagnostics) == 0 || read.Diagnostics[0].Summary != "MOR Provider Not Configured" {
		t.Errorf("read after a failed configuration: %v, %s", err, diagnosticsText(read.Diagnostics))
	}
}

func convertError(diags []*tfprotov6.Diagnostic) bool {
	return len(diags) == 1 && diags[0].Severity == tfprotov6.DiagnosticSeverityError && diags[0].Summary == "Unable to Convert Configuration"
}
