package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// A hostile server: what a broken MOR release, a PHP warning, a WAF or a
// proxy may send in MOR's place, byte for byte. Unlike the simulator's
// fault injection it knows nothing of MOR; each answer is canned.

// Values a hostile answer carries that must never reach an error or a log.
const (
	hostileSIPSecret   = "Hostile-SIP-pw-7Qx2"
	hostileMD5Secret   = "d41d8cd98f00b204e9800998ecf8427e"
	hostilePIN         = "8675309112233"
	hostileAPIKey      = "hostile-api-key-K9zW"
	hostilePassword    = "hostile-p-pw-3Lm"
	hostileURLPassword = "url-pw-Vb8nQ"
)

// hostileAnswer is what the server sends for one API method.
type hostileAnswer struct {
	status int // 200 when 0
	header map[string]string
	// body is the answer; echo, when set, makes it from the request (a WAF
	// page that quotes what it blocked).
	body []byte
	echo func(r *http.Request) []byte
	// trailing bytes are sent after the body, beyond its Content-Length, on
	// a connection the server then leaves open.
	trailing []byte
	// raw, when set, is sent in place of an HTTP answer, byte for byte,
	// and the connection closed: no status line, a broken header, or a
	// proxy's answer to CONNECT.
	raw []byte
	// headerFrom adds headers made from the request (a Location quoting it).
	headerFrom func(r *http.Request) map[string]string
}

type hostileServer struct {
	URL string
	// answers by API method; "" answers every method not listed.
	answers map[string]hostileAnswer

	mu     sync.Mutex
	hashes []string // every hash the client sent
	conns  []net.Conn
}

// newHostileServer serves https with a self-signed certificate for
// certName, or plain http when certName is "".
func newHostileServer(t *testing.T, answers map[string]hostileAnswer, certName string) *hostileServer {
	t.Helper()
	s := &hostileServer{answers: answers}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	if certName == "" {
		srv.Start()
	} else {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{hostileCertificate(t, certName)}}
		srv.StartTLS()
	}
	t.Cleanup(func() {
		srv.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, c := range s.conns {
			_ = c.Close()
		}
	})
	s.URL = srv.URL + "/billing"
	return s
}

func (s *hostileServer) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	s.mu.Lock()
	if h := r.Form.Get("hash"); h != "" {
		s.hashes = append(s.hashes, h)
	}
	s.mu.Unlock()
	a, ok := s.answers[method]
	if !ok {
		a = s.answers[""]
	}
	body := a.body
	if a.echo != nil {
		body = a.echo(r)
	}
	status := a.status
	if status == 0 {
		status = http.StatusOK
	}
	if a.trailing != nil {
		s.sendWithTrailing(w, status, a, body)
		return
	}
	if a.raw != nil {
		s.sendRaw(w, a.raw)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	if a.headerFrom != nil {
		for k, v := range a.headerFrom(r) {
			w.Header().Set(k, v)
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// sendWithTrailing writes the answer by hand, then bytes beyond its
// Content-Length, and keeps the connection open so the client holds it idle
// with those bytes waiting.
func (s *hostileServer) sendWithTrailing(w http.ResponseWriter, status int, a hostileAnswer, body []byte) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	s.conns = append(s.conns, conn)
	s.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n", status, http.StatusText(status), len(body))
	for k, v := range a.header {
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	b.WriteString("\r\n")
	b.Write(body)
	b.Write(a.trailing)
	_, _ = buf.WriteString(b.String())
	_ = buf.Flush()
	// Read (and drop) whatever else the client sends until it hangs up.
	go func() { _, _ = io.Copy(io.Discard, conn) }()
}

// sendRaw writes raw on the bare connection and closes it.
func (s *hostileServer) sendRaw(w http.ResponseWriter, raw []byte) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	_, _ = buf.Write(raw)
	_ = buf.Flush()
	_ = conn.Close()
}

// hostileCertificate is a self-signed certificate for the DNS name name,
// which may hold what no real name does.
func hostileCertificate(t *testing.T, name string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hostile"}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// sentHashes returns every hash the client sent.
func (s *hostileServer) sentHashes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.hashes...)
}

// hostileDevice is a device_details_get record holding the hostile secrets.
func hostileDevice(id int, username string) string {
	return fmt.Sprintf(`<id>%d</id><user_id>2</user_id><name>%s</name><username>%s</username><device_type>SIP</device_type>`+
		`<secret>%s</secret><md5secret>%s</md5secret><pin>%s</pin><port>5060</port>`+
		`<codecs><audio_codecs>alaw</audio_codecs><video_codecs></video_codecs></codecs>`,
		id, username, username, hostileSIPSecret, hostileMD5Secret, hostilePIN)
}

// hostileListDevice is a devices_get entry holding the SIP password.
func hostileListDevice(id int) string {
	return fmt.Sprintf(`<device><device_id>%d</device_id><device_type>SIP</device_type><username>1%d</username><secret>%s</secret></device>`,
		id, id, hostileSIPSecret)
}

const xmlDecl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
