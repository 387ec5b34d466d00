package mor

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
)

// proxyOf returns the proxy the transport sends requests to base through
// (HTTPS_PROXY or HTTP_PROXY, unless NO_PROXY names the host; Go never
// proxies localhost or loopback addresses, and ignores a proxy URL that
// does not parse), shown without its credentials, the variable that named
// it, and the proxy's credentials (its password, or its user when it has no
// password, and both as sent in Proxy-Authorization), to be redacted
// wherever an error quotes them.
// Go reads these variables once per process.
func proxyOf(transport *http.Transport, base string) (shown, variable string, secrets []string) {
	u, err := url.Parse(base)
	if err != nil || transport.Proxy == nil {
		return "", "", nil
	}
	p, err := transport.Proxy(&http.Request{URL: u})
	if err != nil || p == nil {
		return "", "", nil
	}
	variable = "HTTP_PROXY"
	if u.Scheme == "https" {
		variable = "HTTPS_PROXY"
	}
	if p.User != nil {
		// As net/http sends them in Proxy-Authorization, which a proxy's
		// page may quote; with no password, the user is the credential (an
		// API token given as the proxy's user).
		password, _ := p.User.Password()
		secrets = []string{base64.StdEncoding.EncodeToString([]byte(p.User.Username() + ":" + password))}
		switch {
		case password != "":
			secrets = append(secrets, password)
		case p.User.Username() != "":
			secrets = append(secrets, p.User.Username())
		}
	}
	bare := *p // p is the transport's own: changing it would drop the credentials
	bare.User = nil
	return bare.String(), variable, secrets
}

// statusProblem says where a status other than 200 comes from: MOR itself
// always answers 200.
func (c *Client) statusProblem(status int) string {
	switch {
	case c.proxy != "" && status == http.StatusProxyAuthRequired:
		return fmt.Sprintf("HTTP status 407 from the proxy %s (%s): it wants credentials, given in the proxy URL as http://user:password@host:port", c.proxy, c.proxyVariable)
	case c.proxy != "":
		return fmt.Sprintf("HTTP status %d from the proxy %s (%s) or a server behind it (MOR itself always answers 200)", status, c.proxy, c.proxyVariable)
	default:
		return fmt.Sprintf("HTTP status %d from the server or a proxy in front of it (MOR itself always answers 200)", status)
	}
}
