package morsim

// Stats are the simulator's counters.
type Stats struct {
	Requests    int64            `json:"requests"`
	ByMethod    map[string]int64 `json:"by_method"`
	InFlight    int64            `json:"in_flight"`
	MaxInFlight int64            `json:"max_in_flight"`
	// Abandoned counts answers the client hung up on while the simulator
	// was still delaying them (latency or a slow body): proof that a
	// client timed out instead of waiting a fault out.
	Abandoned int64 `json:"abandoned"`
}

// Stats returns the counters since the start or the last ResetStats.
func (s *Server) Stats() Stats {
	st := Stats{Requests: s.total.Load(), ByMethod: map[string]int64{}, InFlight: s.inFlight.Load(), MaxInFlight: s.maxInFlight.Load(), Abandoned: s.abandoned.Load()}
	s.countsMu.Lock()
	defer s.countsMu.Unlock()
	for method, n := range s.counts {
		st.ByMethod[method] = n
	}
	return st
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.total.Store(0)
	s.maxInFlight.Store(s.inFlight.Load())
	s.abandoned.Store(0)
	s.countsMu.Lock()
	defer s.countsMu.Unlock()
	clear(s.counts)
}

func (s *Server) count(method string) {
	s.total.Add(1)
	s.countsMu.Lock()
	if s.counts == nil {
		s.counts = map[string]int64{}
	}
	s.counts[method]++
	s.countsMu.Unlock()
	n := s.inFlight.Add(1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			return
		}
	}
}
