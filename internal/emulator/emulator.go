// Package emulator is an in-memory emulator of the Huawei Cloud Server Migration Service (SMS)
// API, for provider tests, client benchmarks and demos. It serves every read endpoint the
// provider reads, listed in the endpoints table of routes.go: tasks and their sub-resources
// (speed limits, settings, consistency results, certificates, passphrase), source servers, their
// overview and detail, migration errors, migration projects, server templates and their
// passwords, and the Agent configuration.
//
// It is an independent implementation of the server side, written from the API reference and
// deliberately not sharing types with the client in internal/smsapi: a mistake in the client's
// types must not be mirrored by its test double. Tasks are kept as raw JSON and served verbatim,
// so a test can serve nulls, absent fields and odd values exactly as the real service might.
//
// Besides answering the API, a Server can add latency, inject faults (throttling, 5xx, broken or
// truncated bodies), change its data between two pages, and report what it was asked.
package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Server. The zero value serves no tasks, without authentication, latency
// or faults, under the path /v3/tasks.
type Options struct {
	// Tasks are the tasks served, in this order, each a JSON object sent exactly as given. Use
	// ExampleTasks or GenerateTasks for ready-made data. The bytes must not be modified after
	// New; Mutate is the way to change the data of a running server.
	Tasks []json.RawMessage

	// Servers are the source servers of GET /v3/sources, in this order, each a JSON object sent
	// exactly as given; GET /v3/sources/overview counts them. GenerateFleet makes servers that
	// agree with its tasks.
	Servers []json.RawMessage

	// ServerProjects maps a source server id to its migration project id, which the migproject
	// filter of GET /v3/sources compares (the list body has no such field).
	ServerProjects map[string]string

	// TaskDetails are bodies for GET /v3/tasks/{task_id}, by task id, sent exactly as given. A
	// listed task without one gets a detail derived from its list object; any other id is
	// answered 404.
	TaskDetails map[string]json.RawMessage

	// Token, when set, must equal the X-Auth-Token header of every request; otherwise the
	// request is answered 401 the way Huawei's API gateway does. When AccessKey or IAMUsers are
	// set as well, a request passes with any one of the configured credentials.
	Token string

	// AccessKey and SecretKey, when set, make the emulator accept requests signed with this pair
	// (SDK-HMAC-SHA256, as the API Request Signing Guide describes) and answer a bad signature
	// or an X-Sdk-Date more than 15 minutes off with 401 APIG.0301.
	AccessKey string
	SecretKey string

	// SecurityToken, when set, must come with every signed request as a signed
	// X-Security-Token header, as with temporary AK/SK credentials.
	SecurityToken string

	// IAMUsers, when set, enables POST {PathPrefix}/v3/auth/tokens (IAM's "Obtaining a User
	// Token" with the password method), so that a client can use {URL}/v3 as its IAM auth URL.
	// The tokens it issues are accepted as X-Auth-Token until ExpireTokens.
	IAMUsers []IAMUser

	// PathPrefix is put in front of /v3/tasks, e.g. "/sms" serves /sms/v3/tasks, to test that a
	// client keeps the path of a configured endpoint. A missing leading slash is added and a
	// trailing one removed.
	PathPrefix string

	// Latency delays every response, to make paging and concurrency observable. The delay ends
	// early when the client gives up on the request.
	Latency time.Duration

	// FailureRate is the probability, from 0 to 1, that a request is answered 503, for demos of
	// retries. The draws come from a source seeded with Seed, so a run is repeatable as long as
	// requests arrive in the same order.
	FailureRate float64

	// Seed seeds the FailureRate draws.
	Seed int64

	// OnRequest, when set, is called with a copy of the query of every authenticated request to
	// an API endpoint, before faults are applied and before the page is read from the data.
	// It may call Mutate or MutateServers, e.g. to delete a task between two pages.
	OnRequest func(query url.Values)

	// Logf, when set, receives one line per request: method, path and query, status, duration
	// and request id. The command sets it for -v; tests usually leave it nil.
	Logf func(format string, args ...any)
}

// Server emulates the SMS API. It is an http.Handler; Start serves it on a loopback address.
// All methods are safe for concurrent use.
type Server struct {
	opts   Options
	prefix string // The normalized PathPrefix.

	data     atomic.Pointer[[]record]       // Replaced whole by Mutate, never changed in place.
	servers  atomic.Pointer[[]serverRecord] // Replaced whole by MutateServers, never changed in place.
	mutateMu sync.Mutex                     // Serializes Mutate and MutateServers calls so that none is lost.

	faultMu sync.Mutex
	faults  []pendingFault
	rng     *rand.Rand // FailureRate draws; guarded by faultMu.

	statsMu sync.Mutex
	stats   Stats
	queries []url.Values

	idBase uint64
	idSeq  atomic.Uint64

	authMu        sync.Mutex
	tokens        map[string]bool // Issued tokens; false once expired.
	issued        []string        // Issued tokens in order, for IssuedTokens.
	tokenRequests int

	routes *http.ServeMux

	lifeMu sync.Mutex
	srv    *http.Server
	url    string
}

// serverSeq makes request ids differ between servers started in the same nanosecond.
var serverSeq atomic.Uint64

// New returns a Server for opts. It panics if a task is not a well-formed JSON object, because
// such a task would corrupt every page that contains it and that is a bug in the calling test.
func New(opts Options) *Server {
	recs, err := newRecords(opts.Tasks, nil)
	if err != nil {
		panic(err)
	}
	servers, err := newServerRecords(opts.Servers, opts.ServerProjects)
	if err != nil {
		panic(err)
	}
	s := &Server{
		opts:   opts,
		prefix: normalizePrefix(opts.PathPrefix),
		rng:    rand.New(rand.NewPCG(uint64(opts.Seed), 0x503)),
		idBase: mix64(uint64(time.Now().UnixNano()) ^ serverSeq.Add(1)<<32),
	}
	// The records hold the data; keeping the slices would only pin memory.
	s.opts.Tasks, s.opts.Servers = nil, nil
	s.data.Store(&recs)
	s.servers.Store(&servers)
	s.stats.PerOffset = map[int]int{}
	s.routes = s.newRoutes()
	return s
}

// NewTestServer returns a Server for opts already listening on 127.0.0.1 on a free port, like
// httptest.NewServer, for tests. It panics if it cannot listen. The caller must Close it,
// typically with t.Cleanup.
func NewTestServer(opts Options) *Server {
	s := New(opts)
	if _, err := s.Start("127.0.0.1:0"); err != nil {
		panic(err)
	}
	return s
}

// Start listens on addr, which must be a loopback address such as "127.0.0.1:8900", "[::1]:0" or
// "localhost:0", and serves in the background. It returns the base URL, as URL does. Any other
// address is refused: the emulator accepts any token shape and is meant for one machine only.
func (s *Server) Start(addr string) (string, error) {
	if err := checkLoopback(addr); err != nil {
		return "", err
	}
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.srv != nil {
		return "", errors.New("emulator: server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("emulator: %w", err)
	}
	// "localhost" is resolved by the system; make sure it did resolve to a loopback address.
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return "", fmt.Errorf("emulator: %s resolved to non-loopback %s; refusing to serve", addr, ln.Addr())
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + ln.Addr().String() + s.prefix
	go s.srv.Serve(ln) //nolint:errcheck // Serve always returns ErrServerClosed after Close.
	return s.url, nil
}

// URL returns the base URL of a started server, including PathPrefix, so that a client given it
// as its endpoint requests URL()+"/v3/tasks". It returns "" before Start.
func (s *Server) URL() string {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	return s.url
}

// Close stops a started server at once, closing open connections, which also ends requests
// still waiting out Latency or a fault's Delay. It does nothing for a server never started.
func (s *Server) Close() error {
	s.lifeMu.Lock()
	srv := s.srv
	s.lifeMu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Close()
}

// Mutate replaces the served tasks with what fn returns, e.g. to add or delete a task between
// two pages of a listing. fn receives a fresh slice that it may change; the task bytes must not
// be modified in place (return new ones instead). Requests already being served keep the data
// they started with. Mutate panics, like New, if a returned task is not a JSON object. fn must
// not call Mutate.
func (s *Server) Mutate(fn func(tasks []json.RawMessage) []json.RawMessage) {
	s.mutateMu.Lock()
	defer s.mutateMu.Unlock()
	old := *s.data.Load()
	tasks := make([]json.RawMessage, len(old))
	for i, rec := range old {
		tasks[i] = rec.raw
	}
	recs, err := newRecords(fn(tasks), old)
	if err != nil {
		panic(err)
	}
	s.data.Store(&recs)
}

// MutateServers replaces the served source servers with what fn returns, as Mutate does for
// tasks, e.g. to delete a server in front and create one behind between two pages. The
// migration projects of Options.ServerProjects still apply by id. It panics, like New, if a
// returned server is not a JSON object. fn must not call Mutate or MutateServers.
func (s *Server) MutateServers(fn func(servers []json.RawMessage) []json.RawMessage) {
	s.mutateMu.Lock()
	defer s.mutateMu.Unlock()
	old := *s.servers.Load()
	servers := make([]json.RawMessage, len(old))
	projects := make(map[string]string, len(old))
	for i, rec := range old {
		servers[i] = rec.raw
		if rec.migproject != "" {
			projects[rec.id] = rec.migproject
		}
	}
	recs, err := newServerRecords(fn(servers), projects)
	if err != nil {
		panic(err)
	}
	s.servers.Store(&recs)
}

// sleep waits d and reports whether it did; it returns false as soon as ctx ends.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// requestID returns a 32-hex-digit id like those of Huawei's gateway, unique per request: the
// second half mixes a counter through a bijection, so ids look random but never repeat.
func (s *Server) requestID() string {
	return fmt.Sprintf("%016x%016x", s.idBase, mix64(s.idSeq.Add(1)^s.idBase))
}

func normalizePrefix(p string) string {
	p = strings.TrimRight(p, "/")
	if p != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// checkLoopback accepts "localhost" and literal loopback addresses only. An empty host (":8900")
// means every interface, so it is refused like any other non-loopback address.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: bad listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("emulator: refusing to listen on %q: only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed", addr)
}

func cloneValues(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}
