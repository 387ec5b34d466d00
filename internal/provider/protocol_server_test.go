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
// Each read here goes three ways against the same simulator: through the
// protocol server, through the framework's ReadDataSource of the same data
// source (the diagnostics must be the same), and through the reference
// (reference_read_test.go), which sets a model struct through the
// framework and shares nothing with the protocol server but the client:
// the states must be the same value. Every attribute of every data source
// must be non-null in at least one compared state.
func TestProtocolReadMatchesFramework(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(42, testSizes)
	// Values the generator leaves empty, so that every attribute is
	// compared set at least once.
	data.CLIs[0].Domain = "sip.example.com"
	for _, col := range []string{"pin", "md5secret", "remotesecret"} {
		data.Devices[0].Fields[col] = "s3cret-" + col
	}
	srv := httptest.NewServer(morsim.New(data, morsim.Options{}))
	t.Cleanup(srv.Close)
	target := benchTarget{url: srv.URL + "/billing", data: data}

	compared := map[string]int{}
	nonNull := map[string]map[string]bool{}
	roles := equivalenceReads(t, data)
	for _, role := range []string{"admin", "reseller1", "user1"} {
		server, schemas := configuredAs(t, target, role)
		framework := directServerOf(t, server).frameworkServer
		reference := configuredReference(t, target, role)
		for _, read := range roles[role] {
			t.Run(fmt.Sprintf("%s/%s/%v", role, read.dataSource, read.config), func(t *testing.T) {
				typ := schemas.DataSourceSchemas[read.dataSource].ValueType()
				req := &tfprotov6.ReadDataSourceRequest{TypeName: read.dataSource, Config: dynamicValue(t, typ, objectOf(typ, read.config))}
				fw, err := framework.ReadDataSource(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				got, err := server.ReadDataSource(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				want, err := reference.ReadDataSource(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(fw.Diagnostics, got.Diagnostics); diff != "" {
					t.Fatalf("diagnostics differ (-framework +protocol server):\n%s", diff)
				}
				failed, refFailed := len(got.Diagnostics) > 0, len(want.Diagnostics) > 0
				if failed != read.fails || refFailed != read.fails {
					t.Fatalf("failed: %v (reference: %v), want %v\nprotocol server: %s\nreference: %s",
						failed, refFailed, read.fails, diagnosticsText(got.Diagnostics), diagnosticsText(want.Diagnostics))
				}
				if failed {
					return // Terraform ignores the state sent with an error
				}
				wantState, gotState := stateOf(t, want, typ), stateOf(t, got, typ)
				if diff, err := wantState.Diff(gotState); err != nil || len(diff) > 0 {
					t.Fatalf("states differ from the reference (%v): %v", err, diff)
				}
				compared[role]++
				if nonNull[read.dataSource] == nil {
					nonNull[read.dataSource] = map[string]bool{}
				}
				markNonNull(gotState, "", nonNull[read.dataSource])
				// Without a map, whose keys tftypes writes in no set order,
				// the bytes are the framework's too.
				if read.dataSource != "mor_device" && read.config["include_secrets"].IsNull() &&
					!bytes.Equal(fw.State.MsgPack, got.State.MsgPack) {
					t.Errorf("same value, different msgpack")
				}
			})
		}
	}
	for role, reads := range roles {
		want := 0
		for _, read := range reads {
			if !read.fails {
				want++
			}
		}
		t.Logf("%s: %d states compared", role, compared[role])
		if compared[role] != want || want == 0 {
			t.Errorf("%s: %d states compared, want %d", role, compared[role], want)
		}
	}
	direct := directServerOf(t, NewProtocolServer("test")())
	for name, read := range direct.readers {
		if _, ok := referenceReads[name]; !ok {
			t.Errorf("%s has no reference read (reference_read_test.go)", name)
		}
		if t.Failed() {
			continue // the attributes of states not compared would only hide why
		}
		for attr := range allAttributes(read.typ, "") {
			if !nonNull[name][attr] {
				t.Errorf("%s: no compared state has %s set", name, attr)
			}
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
	framework := direct.frameworkServer
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
		// The attributes' validators: an id below 1, an empty username.
		{map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.Number, -5)}, false, false},
		{map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.Number, 0)}, false, false},
		{map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.Number, 1)}, true, true},
		{map[string]tftypes.Value{"device_username": tftypes.NewValue(tftypes.String, "")}, false, false},
		{map[string]tftypes.Value{"device_id": id, "include_secrets": tftypes.NewValue(tftypes.Bool, true)}, true, true},
		{map[string]tftypes.Value{"device_username": name, "include_secrets": tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue)}, true, true},
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
		if shortcut, _ := direct.readers["mor_device"].plainlyValid(req.Config); shortcut != tc.shortcut {
			t.Errorf("%v: answered by the protocol server: %v, want %v", config, shortcut, tc.shortcut)
		}
	}
}

// The same check over many configurations of mor_device: every
// combination of values of its three settable attributes, and each other
// (computed-only) attribute set to each value tried, beside a valid and an
// invalid lookup. The diagnostics are compared as sets: the framework
// itself reports them in no fixed order.
func TestValidateShortcutAgreesWithFrameworkOnEveryAttribute(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	server := NewProtocolServer("test")()
	framework := directServerOf(t, server).frameworkServer
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := objectType(t, schemas, "mor_device")
	var configs []map[string]tftypes.Value
	for _, id := range valuesToTry(tftypes.Number) {
		for _, name := range valuesToTry(tftypes.String) {
			for _, secrets := range valuesToTry(tftypes.Bool) {
				configs = append(configs, map[string]tftypes.Value{"device_id": id, "device_username": name, "include_secrets": secrets})
			}
		}
	}
	for attribute, attributeType := range typ.AttributeTypes {
		if attribute == "device_id" || attribute == "device_username" || attribute == "include_secrets" {
			continue
		}
		for _, v := range valuesToTry(attributeType)[1:] { // null is above
			for _, id := range []int64{101, 0} {
				configs = append(configs, map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.Number, id), attribute: v})
			}
		}
	}
	differ := 0
	for _, config := range configs {
		req := &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "mor_device", Config: dynamicValue(t, typ, objectOf(typ, config))}
		want, err := framework.ValidateDataResourceConfig(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := server.ValidateDataResourceConfig(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(diagnosticSet(want.Diagnostics), diagnosticSet(got.Diagnostics)); diff != "" {
			if differ++; differ <= 5 {
				t.Errorf("%v: diagnostics differ (-framework +protocol server):\n%s", config, diff)
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d configurations validated differently", differ, len(configs))
	}
	t.Logf("%d configurations validated alike", len(configs)-differ)
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
