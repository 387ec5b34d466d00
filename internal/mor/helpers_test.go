package mor

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// bodyOf wraps raw bytes as an HTTP answer and opens it as the client does.
func bodyOf(t testing.TB, raw []byte, header http.Header, limit int64) (*body, error) {
	t.Helper()
	if header == nil {
		header = http.Header{}
	}
	resp := &http.Response{StatusCode: 200, Header: header, Body: io.NopCloser(bytes.NewReader(raw))}
	return openBody(resp, limit)
}

func decodeWith[T any](t testing.TB, raw []byte, decode func(*body) (T, string, error)) (T, string, error) {
	t.Helper()
	b, err := bodyOf(t, raw, nil, DefaultMaxResponseBytes)
	if err != nil {
		var zero T
		return zero, "", err
	}
	defer b.release()
	return decode(b)
}

// asAny lets decoders of different result types share a table.
func asAny[T any](decode func(*body) (T, string, error)) func(*body) (any, string, error) {
	return func(b *body) (any, string, error) {
		result, morErr, err := decode(b)
		return result, morErr, err
	}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func ptr[T any](v T) *T { return &v }

// testHash stands for a request's hash in the tests of what is redacted.
const testHash = "8be6e53797d1e629afe6fc73054c6426b7ced042"

// testHashPercentAll is testHash with every byte percent-encoded: no encoder
// writes it so, but a hostile server may, to slip it past redaction.
var testHashPercentAll = func() string {
	var b strings.Builder
	for i := 0; i < len(testHash); i++ {
		fmt.Fprintf(&b, "%%%02x", testHash[i])
	}
	return b.String()
}()

// madeUpFields is three times fewFields empty elements of names no record
// has: f0, f1, ... f191.
func madeUpFields() string {
	var b strings.Builder
	for i := range 3 * fewFields {
		fmt.Fprintf(&b, "<f%d/>", i)
	}
	return b.String()
}
