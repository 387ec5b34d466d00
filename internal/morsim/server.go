// Package morsim simulates the MOR billing API as DESIGN.md describes it:
// the methods this provider reads and the device_list alias, per-role
// scopes, the server-side hash rules, every documented error in its own shape,
// MOR's body quirks, and fault injection with request counters for tests.
package morsim

import (
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
)

// Server is the simulated MOR. It is an http.Handler answering
// <any prefix>/api/<method>, plus /_sim/stats with its counters as JSON.
type Server struct {
	mu   sync.RWMutex
	opts Options
	key  string

	users         map[string]*User
	usersByID     map[int64]*User
	userOrder     []int64 // as the dataset lists them: MOR's database order
	devices       map[int64]*Device
	devicesByName map[string]*Device
	devicesByUser map[int64][]*Device // by username, as text: "1010" before "999"
	dids          []*DID              // by number, as MOR sorts
	clis          []*CLI              // newest first, so clients must sort
	faultMu       sync.Mutex
	faults        map[string]*Fault
	rng           *rand.Rand
	countsMu      sync.Mutex
	counts        map[string]int64 // by method
	total         atomic.Int64
	inFlight      atomic.Int64
	maxInFlight   atomic.Int64
	abandoned     atomic.Int64
}

// New builds a simulator over data.
func New(data *Dataset, opts Options) *Server {
	s := &Server{
		opts:          opts,
		key:           data.APIKey,
		users:         map[string]*User{},
		usersByID:     map[int64]*User{},
		devices:       map[int64]*Device{},
		devicesByName: map[string]*Device{},
		devicesByUser: map[int64][]*Device{},
		faults:        map[string]*Fault{},
		rng:           rand.New(rand.NewPCG(1, 2)), //nolint:gosec // fault sampling needs repeatability, not secrecy
	}
	for i := range data.Users {
		u := &data.Users[i]
		s.users[u.Username] = u
		s.usersByID[u.ID] = u
		s.userOrder = append(s.userOrder, u.ID)
	}
	for i := range data.Devices {
		d := &data.Devices[i]
		s.devices[d.ID] = d
		s.devicesByName[d.Field("username")] = d
		s.devicesByUser[d.UserID] = append(s.devicesByUser[d.UserID], d)
	}
	for _, list := range s.devicesByUser {
		sort.Slice(list, func(i, j int) bool { return list[i].ID > list[j].ID })
	}
	for i := range data.DIDs {
		s.dids = append(s.dids, &data.DIDs[i])
	}
	sort.SliceStable(s.dids, func(i, j int) bool { return s.dids[i].Number < s.dids[j].Number })
	for i := range data.CLIs {
		s.clis = append(s.clis, &data.CLIs[i])
	}
	sort.SliceStable(s.clis, func(i, j int) bool { return s.clis[i].ID > s.clis[j].ID })
	return s
}

// OwnerOf returns the id of the admin (0) or reseller owning a user, or -1
// for an unknown user.
func (s *Server) OwnerOf(userID int64) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.usersByID[userID]; u != nil {
		return u.OwnerID
	}
	return -1
}
