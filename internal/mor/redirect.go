package mor

import (
	"net/http"
	"net/url"
	"strings"
)

// refuseRedirects is the http.Client's CheckRedirect: a redirect is handed
// back as the answer, never followed. Following one would either drop the
// signed POST form (301, 302, 303 turn it into a bare GET) or send it, hash
// included, wherever the Location points (307, 308). Even on the same
// origin a redirect means url is not MOR's web root, so the user is told
// the address to configure instead.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// redirectError describes a 3xx answer with a Location. The Location is
// shown without credentials or query: in GET mode the query repeats the
// request's, hash included.
func (c *Client) redirectError(method string, resp *http.Response, attempts int, hash string) *RedirectError {
	loc, err := resp.Location()
	if err != nil {
		return nil
	}
	e := &RedirectError{Method: method, StatusCode: resp.StatusCode, Attempts: attempts, QueryOmitted: loc.RawQuery != ""}
	shown := *loc
	shown.User, shown.RawQuery, shown.ForceQuery, shown.Fragment, shown.RawFragment = nil, "", false, "", ""
	e.Location = c.shownURL(&shown, hash)

	base, _ := url.Parse(strings.TrimSuffix(c.apiBase, "/api/"))
	apiPath := "/api/" + method
	if root, ok := strings.CutSuffix(shown.Path, apiPath); ok {
		e.SuggestedBaseURL = c.shownURL(&url.URL{Scheme: shown.Scheme, Host: shown.Host, Path: root}, hash)
	}
	switch {
	case !strings.EqualFold(shown.Hostname(), base.Hostname()):
		e.Target = RedirectOtherHost
	case base.Scheme == "http" && shown.Scheme == "https" && shown.Path == base.Path+apiPath:
		e.Target = RedirectToHTTPS
	default:
		e.Target = RedirectSameHost
	}
	return e
}
