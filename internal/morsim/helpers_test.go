package morsim

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// post sends form to method as a POST, and returns the answer, failing the
// test unless it comes as MOR sends answers (200, text/html, an attachment).
func post(t *testing.T, h http.Handler, method string, form url.Values) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/billing/api/"+method, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("%s: status %d, headers %v", method, rec.Code, rec.Header())
	}
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}
