package provider

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// mor_users read by the protocol server gives the same state and
// diagnostics as the framework's Read, as TestProtocolReadMatchesFramework
// checks for the other data sources (which need no password).
func TestProtocolReadMatchesFrameworkUsers(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(42, testSizes)
	srv := httptest.NewServer(morsim.New(data, morsim.Options{}))
	t.Cleanup(srv.Close)
	for _, password := range []string{morsim.PasswordOf("admin"), "wrong", ""} {
		ctx := context.Background()
		server := NewProtocolServer("test")()
		schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		set := map[string]tftypes.Value{
			"url":            tftypes.NewValue(tftypes.String, srv.URL+"/billing"),
			"username":       tftypes.NewValue(tftypes.String, "admin"),
			"api_secret_key": tftypes.NewValue(tftypes.String, data.APIKey),
		}
		if password != "" {
			set["password"] = tftypes.NewValue(tftypes.String, password)
		}
		typ := schemas.Provider.ValueType()
		if resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: dynamicValue(t, typ, objectOf(typ, set))}); err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("configure: %v %v", err, resp.Diagnostics)
		}
		framework := directServerOf(t, server).frameworkServer
		dsType := schemas.DataSourceSchemas["mor_users"].ValueType()
		for _, config := range []map[string]tftypes.Value{
			nil,
			{"owner_id": tftypes.NewValue(tftypes.Number, 0)},
			{"usertype": tftypes.NewValue(tftypes.String, "reseller")},
		} {
			req := &tfprotov6.ReadDataSourceRequest{TypeName: "mor_users", Config: dynamicValue(t, dsType, objectOf(dsType, config))}
			want, err := framework.ReadDataSource(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := server.ReadDataSource(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Diagnostics, got.Diagnostics); diff != "" {
				t.Fatalf("password %q, %v: diagnostics differ (-framework +protocol server):\n%s", password, config, diff)
			}
			if failed := len(want.Diagnostics) > 0; failed != (password != morsim.PasswordOf("admin")) {
				t.Fatalf("password %q: failed %v (%v)", password, failed, want.Diagnostics)
			}
			if len(want.Diagnostics) == 0 && !bytes.Equal(want.State.MsgPack, got.State.MsgPack) {
				t.Errorf("%v: the states differ", config)
			}
		}
	}
}
