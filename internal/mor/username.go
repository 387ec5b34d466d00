package mor

// Username is the login name of the API user the client signs requests as
// (the API's u), for messages that must name it.
func (c *Client) Username() string { return c.cfg.Username }

// UsersByUniqueHash tells whether users_get identifies the API user by its
// unique hash (no password is configured, a unique hash is), for messages
// that must say which to check.
func (c *Client) UsersByUniqueHash() bool { return c.cfg.Password == "" && c.cfg.UniqueHash != "" }
