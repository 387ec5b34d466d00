package main

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// simServer is the MOR simulator served in-process on loopback.
type simServer struct {
	*morsim.Server
	url, apiKey string
	srv         *http.Server
}

func startSim(data *morsim.Dataset, opts morsim.Options) (*simServer, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &simServer{Server: morsim.New(data, opts), url: "http://" + l.Addr().String() + "/billing", apiKey: data.APIKey}
	s.srv = &http.Server{Handler: s.Server, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(l) }()
	return s, nil
}

func (s *simServer) close() { _ = s.srv.Shutdown(context.Background()) }

// env is what the mor provider reads its connection from.
func (s *simServer) env() []string {
	return []string{"MOR_URL=" + s.url, "MOR_USERNAME=admin", "MOR_API_SECRET_KEY=" + s.apiKey}
}
