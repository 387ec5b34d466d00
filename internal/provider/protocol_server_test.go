package provider

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The protocol server reads the stateReaders itself (protocol_server.go).
// Each read here goes both ways, through the framework's ReadDataSource and
// through the protocol server's, against the same simulator: the states
// must be the same value, and the diagnostics the same.
func TestProtocolReadMatchesFramework(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(42, testSizes)
	srv := httptest.NewServer(morsim.New(data, morsim.Options{}))
	t.Cleanup(srv.Close)
	target := benchTarget{url: srv.URL + "/billing", data: data}

	num := func(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	yes := tftypes.NewValue(tftypes.Bool, true)
	device, user := data.Devices[0], data.Users[len(data.Users)-1]
	reads := []struct {
		dataSource string
		config     map[string]tftypes.Value
		fails      bool // MOR answers "not found" for it
	}{
		{"mor_dids", nil, false},
		{"mor_dids", map[string]tftypes.Value{"status": str("active"), "hide_terminated": yes}, false},
		{"mor_dids", map[string]tftypes.Value{"did_number": str("no such number")}, false},
		{"mor_devices", map[string]tftypes.Value{"user_id": num(device.UserID)}, false},
		{"mor_devices", map[string]tftypes.Value{"user_id": num(device.UserID), "include_secrets": yes}, false},
		{"mor_devices", map[string]tftypes.Value{"user_id": num(999999)}, true},
		{"mor_device_clis", nil, false},
		{"mor_device_clis", map[string]tftypes.Value{"user_id": num(user.ID)}, false},
		{"mor_device_clis", map[string]tftypes.Value{"device_id": num(999999)}, true},
		{"mor_device", map[string]tftypes.Value{"device_id": num(device.ID)}, false},
		{"mor_device", map[string]tftypes.Value{"device_username": str(device.Fields["username"])}, false},
		{"mor_device", map[string]tftypes.Value{"device_id": num(999999)}, true},
		{"mor_device", map[string]tftypes.Value{"device_username": str("nobody")}, true},
	}
	// The admin sees every field; a simple user gets nulls where MOR
	// leaves fields out for its role.
	for _, username := range []string{"admin", "user1"} {
		server, schemas := configuredAs(t, target, username)
		framework := directServerOf(t, server).ProviderServer
		for _, read := range reads {
			t.Run(fmt.Sprintf("%s/%s/%v", username, read.dataSource, read.config), func(t *testing.T) {
				typ := schemas.DataSourceSchemas[read.dataSource].ValueType()
				req := &tfprotov6.ReadDataSourceRequest{TypeName: read.dataSource, Config: dynamicValue(t, typ, objectOf(typ, read.config))}
				want, err := framework.ReadDataSource(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				got, err := server.ReadDataSource(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want.Diagnostics, got.Diagnostics); diff != "" {
					t.Fatalf("diagnostics differ (-framework +protocol server):\n%s", diff)
				}
				// A simple user may see none of the admin's devices: only the
				// admin's reads must succeed or fail as the table says.
				if failed := len(want.Diagnostics) > 0; username == "admin" && failed != read.fails {
					t.Fatalf("failed: %v, want %v (%v)", failed, read.fails, want.Diagnostics)
				}
				if len(want.Diagnostics) > 0 {
					return // Terraform ignores the state sent with an error
				}
				wantState, gotState := stateOf(t, want, typ), stateOf(t, got, typ)
				if diff, err := wantState.Diff(gotState); err != nil || len(diff) > 0 {
					t.Fatalf("states differ (%v): %v", err, diff)
				}
				// Without a map, whose keys tftypes writes in no set order,
				// the bytes are the same too.
				if read.dataSource != "mor_device" && read.config["include_secrets"].IsNull() &&
					!bytes.Equal(want.State.MsgPack, got.State.MsgPack) {
					t.Errorf("same value, different msgpack")
				}
			})
		}
	}
}

// Where the protocol server answers a validation itself (a plainValidator
// finds the configuration plainly valid), the framework must find nothing
// wrong either; everything else is the framework's answer.
func TestValidateShortcutAgreesWithFramework(t *testing.T) {
	t.Parallel()
	server := NewProtocolServer("test")()
	direct := directServerOf(t, server)
	framework := direct.ProviderServer
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schemas.DataSourceSchemas["mor_device"].ValueType()
	id, name := tftypes.NewValue(tftypes.Number, 101), tftypes.NewValue(tftypes.String, "1101")
	unknownID, unknownName := tftypes.NewValue(tftypes.Number, tftypes.UnknownValue), tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	for _, tc := range []struct {
		config    map[string]tftypes.Value
		shortcut  bool // answered by the protocol server
		wantValid bool
	}{
		{map[string]tftypes.Value{"device_id": id}, true, true},
		{map[string]tftypes.Value{"device_username": name}, true, true},
		{map[string]tftypes.Value{"device_id": id, "device_username": name}, false, false},
		{nil, false, false},
		{map[string]tftypes.Value{"device_id": unknownID}, false, true},
		{map[string]tftypes.Value{"device_username": unknownName}, false, true},
		{map[string]tftypes.Value{"device_id": id, "device_username": unknownName}, false, true},
		{map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.Number, 1.5)}, false, false},
	} {
		config := objectOf(typ, tc.config)
		req := &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "mor_device", Config: dynamicValue(t, typ, config)}
		want, err := framework.ValidateDataResourceConfig(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := server.ValidateDataResourceConfig(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.Diagnostics, got.Diagnostics); diff != "" {
			t.Errorf("%v: diagnostics differ (-framework +protocol server):\n%s", config, diff)
		}
		if valid := len(want.Diagnostics) == 0; valid != tc.wantValid {
			t.Errorf("%v: the framework finds it valid: %v, want %v (%v)", config, valid, tc.wantValid, want.Diagnostics)
		}
		if shortcut := direct.readers["mor_device"].plainlyValid(req.Config); shortcut != tc.shortcut {
			t.Errorf("%v: answered by the protocol server: %v, want %v", config, shortcut, tc.shortcut)
		}
	}
}

// A configuration sent as JSON (the protocol allows it; Terraform sends
// msgpack) reads the same as one sent as msgpack.
func TestProtocolReadJSONConfig(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(42, testSizes)
	srv := httptest.NewServer(morsim.New(data, morsim.Options{}))
	t.Cleanup(srv.Close)
	server, schemas := configuredAs(t, benchTarget{url: srv.URL + "/billing", data: data}, "admin")
	typ := schemas.DataSourceSchemas["mor_device_clis"].ValueType()
	userID := data.Users[len(data.Users)-1].ID
	asMsgPack := dynamicValue(t, typ, objectOf(typ, map[string]tftypes.Value{"user_id": tftypes.NewValue(tftypes.Number, userID)}))
	asJSON := &tfprotov6.DynamicValue{JSON: []byte(fmt.Sprintf(`{"device_id": null, "user_id": %d, "clis": null}`, userID))}
	var states []tftypes.Value
	for _, config := range []*tfprotov6.DynamicValue{asMsgPack, asJSON} {
		resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "mor_device_clis", Config: config})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("read: %v %v", err, resp.Diagnostics)
		}
		states = append(states, stateOf(t, resp, typ))
	}
	if diff, err := states[0].Diff(states[1]); err != nil || len(diff) > 0 {
		t.Fatalf("JSON and msgpack configurations read differently (%v): %v", err, diff)
	}
}
