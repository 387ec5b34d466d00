package mor

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor/xmlscan"
)

// Error classes. An *APIError unwraps to one of these, so callers can use
// errors.Is(err, mor.ErrAuthentication) without matching MOR's wording.
var (
	// ErrAuthentication: MOR did not accept the API user, key or hash, or
	// the API (or GET) is switched off.
	ErrAuthentication = errors.New("authentication failed")
	// ErrPermission: the API user is known but may not see this.
	ErrPermission = errors.New("permission denied")
	// ErrNotFound: the user or device asked for does not exist (or is
	// outside the API user's scope, which MOR does not tell apart).
	ErrNotFound = errors.New("not found")
	// ErrNothingFound: MOR's own "the search matched nothing". The client
	// methods turn it into an empty result; it is exported for completeness.
	ErrNothingFound = errors.New("nothing found")
	// ErrUnsupported: the server does not know the API method.
	ErrUnsupported = errors.New("API method not supported by this MOR release")
	// ErrInvalidRequest: MOR rejected a parameter.
	ErrInvalidRequest = errors.New("invalid request")
	// ErrTooLarge: the answer exceeded Config.MaxResponseBytes, or holds
	// a text run no MOR answer has.
	ErrTooLarge = errors.New("answer too large")
	// ErrValueTooLong: one text value of the answer is longer than any
	// MOR answer holds (it also matches ErrTooLarge). Raising
	// Config.MaxResponseBytes does not help.
	ErrValueTooLong = xmlscan.ErrTextTooLong
	// ErrUnexpectedAnswer: a well-formed answer that is not the shape of
	// the method's answer: another element where the records belong,
	// records together with an error, a field or an id given twice, or
	// another device's record.
	ErrUnexpectedAnswer = errors.New("unexpected answer")
)

// APIError is an error answer from MOR itself: an <error> element (or a
// status error) in an otherwise well-formed answer.
type APIError struct {
	// Method is the API method, e.g. "dids_get".
	Method string
	// Message is MOR's own message, trimmed, on one line without control
	// characters, and cut (saying so) when longer than any real message.
	Message string
	// Kind is one of the Err* classes, or nil for a message this client
	// does not know.
	Kind error
	// Known is MOR's message as sent when it is one this client knows (a
	// fixed text, to look up what to do about it), else "": Message may
	// have had a secret's letters redacted out of it.
	Known string
	// Repeated: MOR gave this answer to an earlier request of the method
	// in this run, and, since no request can get past it, this call was
	// not sent (refusalMemory).
	Repeated bool
}

func (e *APIError) Error() string {
	return fmt.Sprintf("MOR %s answered: %s", e.Method, e.Message)
}

func (e *APIError) Unwrap() error { return e.Kind }

// ResponseError is an answer that is not a usable MOR API answer: a non-200
// status from something in front of MOR, an HTML page, an empty, truncated,
// oversized or malformed body.
type ResponseError struct {
	Method     string
	StatusCode int
	// Problem says what was wrong, in words.
	Problem string
	// Excerpt is a short, whitespace-folded start of the body, or the
	// title of an HTML page (ExcerptIsTitle), with every known secret
	// removed; empty when showing it could leak record data.
	Excerpt        string
	ExcerptIsTitle bool
	// Attempts is how many HTTP requests were made.
	Attempts int
	Err      error
}

func (e *ResponseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "unusable answer from MOR %s", e.Method)
	if e.StatusCode != 0 && e.StatusCode != 200 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	fmt.Fprintf(&b, ": %s", e.Problem)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	switch {
	case e.Excerpt != "" && e.ExcerptIsTitle:
		fmt.Fprintf(&b, "; its title: %q", e.Excerpt)
	case e.Excerpt != "":
		fmt.Fprintf(&b, "; it begins: %q", e.Excerpt)
	}
	return b.String()
}

func (e *ResponseError) Unwrap() error { return e.Err }

// TransportError is a failure to reach MOR or to read its answer: connection
// refused, DNS, TLS, timeout, a reset. The URL carries no query string, so
// no hash can leak through it.
type TransportError struct {
	Method string
	URL    string
	// Proxy is the proxy the request went through, without credentials,
	// and ProxyVariable the environment variable naming it; "" for none.
	Proxy, ProxyVariable string
	Attempts             int
	Err                  error
	// Permanent: the failure repeats on every request (a TLS version or
	// scheme mismatch, a proxy wanting credentials), so it is not retried.
	Permanent bool
	// Unanswered: nothing answered at all (the connection was refused, or
	// the host's name was not found), so no timeout is at fault.
	Unanswered bool
	// midBody: the connection failed while the answer was being read.
	midBody bool
}

func (e *TransportError) Error() string {
	via := ""
	if e.Proxy != "" {
		via = fmt.Sprintf(" through the proxy %s (%s)", e.Proxy, e.ProxyVariable)
	}
	msg := fmt.Sprintf("calling MOR %s at %s%s: %v", e.Method, e.URL, via, e.Err)
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return msg
}

func (e *TransportError) Unwrap() error { return e.Err }

// RedirectError is a redirect answered in MOR's place. The client never
// follows one (see refuseRedirects).
type RedirectError struct {
	Method     string
	StatusCode int
	// Location is where the redirect points, resolved against the request
	// URL, without credentials or query.
	Location string
	// QueryOmitted: the Location had a query, left out of Location.
	QueryOmitted bool
	// Target says how Location differs from the configured base URL.
	Target RedirectTarget
	// SuggestedBaseURL is the MOR web root the Location implies when it
	// ends in the API method's path; empty otherwise.
	SuggestedBaseURL string
	Attempts         int
}

// RedirectTarget classifies where a redirect leads, from the configured
// base URL.
type RedirectTarget int

const (
	// RedirectToHTTPS: the same host and path over https, from http.
	RedirectToHTTPS RedirectTarget = iota
	// RedirectSameHost: the same host, another path, port or scheme.
	RedirectSameHost
	// RedirectOtherHost: another host.
	RedirectOtherHost
)

func (e *RedirectError) Error() string {
	msg := fmt.Sprintf("MOR %s was answered with a redirect, HTTP %d %s, to %s", e.Method, e.StatusCode, http.StatusText(e.StatusCode), e.Location)
	if e.QueryOmitted {
		msg += " (its query not shown)"
	}
	return msg
}

// messageKinds classifies MOR's error messages. Messages whose meaning
// depends on the method are in methodMessageKinds.
var messageKinds = map[string]error{
	"Incorrect hash":                                   ErrAuthentication,
	"Bad login":                                        ErrAuthentication,
	"Access Denied":                                    ErrAuthentication,
	"API Requests are disabled":                        ErrAuthentication,
	"GET Requests are disabled":                        ErrAuthentication,
	"API must have Secret Key":                         ErrAuthentication,
	"You are not authorized to view this page":         ErrPermission,
	"You are not authorized to manage DIDs":            ErrPermission,
	"You are not authorized to use this functionality": ErrPermission,
	"User not found":                                   ErrNotFound,
	"User was not found":                               ErrNotFound,
	"Device was not found":                             ErrNotFound,
	"Device not found":                                 ErrNotFound,
	"There is no such API":                             ErrUnsupported,
	"user_id is empty":                                 ErrInvalidRequest,
}

// A "nothing found" message is an empty list only from the method that
// sends it: from another method it is an answer to some other request.
var methodMessageKinds = map[string]map[string]error{
	// devices_get: "Access Denied" means the user is not in the API
	// user's scope; "Device not found" means the user has no devices.
	methodDevices:    {"Access Denied": ErrPermission, "Device not found": ErrNothingFound},
	methodDeviceList: {"Access Denied": ErrPermission, "Device not found": ErrNothingFound},
	methodDIDs:       {"No DIDs found": ErrNothingFound},
	methodCLIs:       {"CLIs were not found": ErrNothingFound},
	// users_get: "Access Denied" is an unknown user, a wrong password or
	// a simple user, which MOR does not tell apart.
	// "No Users found" is an empty list only here.
	methodUsers: {"Access Denied": ErrAuthentication, "No Users found": ErrNothingFound},
}

// IsKnownMessage tells whether an APIError of method can have message as
// its Known, so that advice keyed by MOR's words can be checked against
// them.
func IsKnownMessage(method, message string) bool {
	_, known := messageKinds[message]
	_, forMethod := methodMessageKinds[method][message]
	return known || forMethod
}

func newAPIError(method, message string) *APIError {
	kind, known := messageKinds[message]
	if k, ok := methodMessageKinds[method][message]; ok {
		kind, known = k, true
	}
	e := &APIError{Method: method, Message: message, Kind: kind}
	if known {
		e.Known = message
	}
	return e
}

// ConfigError is a Config value New cannot use. Setting names the Config
// field at fault, so a caller can point at its own setting.
type ConfigError struct {
	Setting Setting
	Err     error
}

// Setting is a Config field a ConfigError is about.
type Setting int

const (
	SettingBaseURL Setting = iota + 1
	SettingUsername
	SettingSecretKey
	SettingHTTPMethod
	SettingMaxRetries
	SettingCACertFile
	// SettingPassword: a method that needs the password was called
	// without one (see ErrPasswordRequired).
	SettingPassword
	SettingMaxRequestsPerSecond
)

func (e *ConfigError) Error() string { return e.Err.Error() }

func (e *ConfigError) Unwrap() error { return e.Err }

// ErrorMessage returns MOR's own message when err holds an *APIError, and
// err's text otherwise.
func ErrorMessage(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Message
	}
	return err.Error()
}
