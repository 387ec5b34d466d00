package mor

// Username is the login name of the API user the client signs requests as
// (the API's u), for messages that must name it.
func (c *Client) Username() string { return c.cfg.Username }
