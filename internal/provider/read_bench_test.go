package provider

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// The provider's own cost of reading a data source, through the plugin
// protocol as Terraform calls it (schema, configuration, Read, and the
// msgpack encoding of the state), against answers the simulator wrote
// once and a replaying server sends again: the figures leave out the
// simulator's and Terraform's work. Profile with
// go test -run '^$' -bench BenchmarkRead -cpuprofile cpu.out ./internal/provider/

// replay serves each distinct request the answer the simulator gave it the
// first time.
type replay struct {
	sim     http.Handler
	mu      sync.Mutex
	answers map[string][]byte
}

func (r *replay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	key := req.URL.String() + "?" + string(body)
	r.mu.Lock()
	answer, ok := r.answers[key]
	r.mu.Unlock()
	if !ok {
		req.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		r.sim.ServeHTTP(rec, req)
		answer = rec.Body.Bytes()
		r.mu.Lock()
		r.answers[key] = answer
		r.mu.Unlock()
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write(answer)
}

func newBenchTarget(b *testing.B, sizes morsim.Sizes) benchTarget {
	b.Helper()
	data := morsim.Generate(7, sizes)
	srv := httptest.NewServer(&replay{sim: morsim.New(data, morsim.Options{}), answers: map[string][]byte{}})
	b.Cleanup(srv.Close)
	return benchTarget{url: srv.URL + "/billing", data: data}
}

// readDataSource reads a data source with the given configuration and
// returns the size of its encoded state.
func readDataSource(b *testing.B, server tfprotov6.ProviderServer, schemas *tfprotov6.GetProviderSchemaResponse, name string, set map[string]tftypes.Value) int {
	b.Helper()
	typ := schemas.DataSourceSchemas[name].ValueType()
	resp, err := server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: name, Config: dynamicValue(b, typ, objectOf(typ, set)),
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		b.Fatalf("read %s: %v %v", name, err, resp.Diagnostics)
	}
	return len(resp.State.MsgPack)
}

// benchmarkList reads one list data source per op, each time in a new
// provider (as each Terraform run starts one), and reports its state size.
func benchmarkList(b *testing.B, sizes morsim.Sizes, name string, set func(*morsim.Dataset) map[string]tftypes.Value) {
	target := newBenchTarget(b, sizes)
	server, schemas := configuredProvider(b, target)
	stateBytes := readDataSource(b, server, schemas, name, set(target.data)) // records the answer
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		server, schemas := configuredProvider(b, target)
		readDataSource(b, server, schemas, name, set(target.data))
	}
	b.ReportMetric(float64(stateBytes)/1e6, "state-MB")
}

func BenchmarkReadDIDs(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			benchmarkList(b, morsim.Sizes{Users: 1, Devices: 10, DIDs: n}, "mor_dids",
				func(*morsim.Dataset) map[string]tftypes.Value { return nil })
		})
	}
}

func BenchmarkReadDevices(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			benchmarkList(b, morsim.Sizes{Users: 1, Devices: n}, "mor_devices", func(d *morsim.Dataset) map[string]tftypes.Value {
				return map[string]tftypes.Value{"user_id": tftypes.NewValue(tftypes.Number, d.Devices[0].UserID)}
			})
		})
	}
}

func BenchmarkReadCLIs(b *testing.B) {
	for _, n := range []int{5000, 50000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			benchmarkList(b, morsim.Sizes{Users: 1, Devices: 100, CLIs: n}, "mor_device_clis",
				func(*morsim.Dataset) map[string]tftypes.Value { return nil })
		})
	}
}

// BenchmarkDeviceLookups is 1,000 mor_device lookups in one provider, as
// a for_each over 1,000 devices makes: for each, the validation and the
// read Terraform asks for. It reports the cost per lookup.
func BenchmarkDeviceLookups(b *testing.B) {
	const lookups = 1000
	target := newBenchTarget(b, morsim.Sizes{Users: 1, Devices: lookups})
	_, schemas := configuredProvider(b, target)
	typ := schemas.DataSourceSchemas["mor_device"].ValueType()
	configs := make([]*tfprotov6.DynamicValue, len(target.data.Devices))
	for i, d := range target.data.Devices {
		configs[i] = dynamicValue(b, typ, objectOf(typ, map[string]tftypes.Value{"device_id": tftypes.NewValue(tftypes.Number, d.ID)}))
	}
	lookupAll := func() {
		ctx := context.Background()
		server, _ := configuredProvider(b, target)
		for _, config := range configs {
			valid, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "mor_device", Config: config})
			if err != nil || len(valid.Diagnostics) > 0 {
				b.Fatalf("validate: %v %v", err, valid.Diagnostics)
			}
			read, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "mor_device", Config: config})
			if err != nil || len(read.Diagnostics) > 0 {
				b.Fatalf("read: %v %v", err, read.Diagnostics)
			}
		}
	}
	lookupAll() // records the answers
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		lookupAll()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*lookups), "µs/lookup")
}
