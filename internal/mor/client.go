// Package mor is a client for the hashed XML API of Kolmisoft MOR. It knows
// nothing of Terraform: it turns API calls into plain Go structs and typed
// errors (see errors.go). DESIGN.md at the repository root describes the
// MOR behaviour it follows and which file holds each part of it.
package mor

import (
	"net/http"
	"path"
	"sync/atomic"
)

// Client calls the MOR API. It is safe for concurrent use. Within one
// Client, identical calls are made once: concurrent ones share a request
// and a finished answer is reused (a Client lives for one Terraform run).
type Client struct {
	cfg        Config
	maxRetries int
	apiBase    string // <base>/api/, no query
	http       *http.Client
	secrets    []string
	// proxy is the proxy requests go through, without credentials, and
	// proxyVariable the environment variable naming it; "" for none.
	proxy, proxyVariable string
	legacy               atomic.Bool // the server has device_list only
	// detailsHaveIDs: a device record of this server had an id column, as
	// every one of a release from 2019 on has.
	detailsHaveIDs atomic.Bool
	budget         *retryBudget
	// notBefore: see slotTransport.notBefore.
	notBefore atomic.Int64
	refusals  refusalMemory
	// news wakes the requests waiting for the rate limiter when a refusal
	// or a wait set above may hold them back.
	news     runNews
	requests atomic.Int64

	// One per answer type: each shares and caches its calls.
	devices endpoint[[]Device]
	details endpoint[*DeviceDetails]
	dids    endpoint[[]DID]
	clis    endpoint[[]CLI]
	users   endpoint[[]User]
}

const (
	methodDevices       = "devices_get"
	methodDeviceList    = "device_list"
	methodDeviceDetails = "device_details_get"
	methodDIDs          = "dids_get"
	methodCLIs          = "device_clis_get"
	methodUsers         = "users_get"
)

// New validates cfg and builds a Client. It does not contact MOR.
func New(cfg Config) (*Client, error) {
	cfg, base, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	transport, err := newTransport(cfg)
	if err != nil {
		return nil, err
	}
	proxy, proxyVariable, proxySecrets := proxyOf(transport, base)
	c := &Client{
		cfg:        cfg,
		maxRetries: *cfg.MaxRetries,
		apiBase:    base + "/api/",
		proxy:      proxy, proxyVariable: proxyVariable,
		budget: newRetryBudget(),
	}
	// No http.Client.Timeout: it would count the wait for a request slot;
	// the slot transport starts the timeout once the request has one.
	c.http = &http.Client{
		Transport:     newSlotTransport(transport, cfg, &c.requests, c.refusalOf, c.budget, &c.notBefore, &c.news),
		CheckRedirect: refuseRedirects,
	}
	for _, s := range append([]string{cfg.SecretKey, cfg.Password, cfg.UniqueHash}, proxySecrets...) {
		if s != "" {
			c.secrets = append(c.secrets, s)
		}
	}
	c.devices.decode = decodeDevices
	c.details.decode = decodeDeviceDetails
	c.dids.decode = decodeDIDs
	c.clis.decode = decodeCLIs
	c.users.decode = decodeUsers
	return c, nil
}

// refusalOf is MOR's refusal of the request's method for the whole run
// (refusalMemory), or nil.
func (c *Client) refusalOf(r *http.Request) error {
	if refused := c.refusals.of(path.Base(r.URL.Path)); refused != nil {
		return refused
	}
	return nil
}

// Username is the login name of the API user the client signs requests as
// (the API's u), for messages that must name it.
func (c *Client) Username() string { return c.cfg.Username }

// UsersByUniqueHash tells whether users_get identifies the API user by its
// unique hash (no password is configured, a unique hash is), for messages
// that must say which to check.
func (c *Client) UsersByUniqueHash() bool { return c.cfg.Password == "" && c.cfg.UniqueHash != "" }

// RequestCount reports how many HTTP requests this client has sent,
// retries included.
func (c *Client) RequestCount() int64 { return c.requests.Load() }
