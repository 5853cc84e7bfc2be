package hostpool_test

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/paperlist/paperlist"
	"github.com/paperlist/paperlist/hostpool"
)

// refusing is a base transport on which the hosts in down refuse every
// connection and the others answer 200; it counts the attempts by host.
type refusing struct {
	mu    sync.Mutex
	down  map[string]bool
	sent  map[string]int
	proxy bool // fail as a proxy that refuses does
}

func (f *refusing) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent[r.URL.Host]++
	if f.down[r.URL.Host] {
		op := "dial"
		if f.proxy {
			op = "proxyconnect"
		}
		return nil, &net.OpError{Op: op, Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: r.URL.Host, IsNotFound: true}}
	}
	return &http.Response{StatusCode: 200, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
}

func (f *refusing) set(host string, down bool) {
	f.mu.Lock()
	f.down[host] = down
	f.mu.Unlock()
}

func TestTransportConnectFailures(t *testing.T) {
	tests := []struct {
		name string
		// steps are the requests made in order, each to a host, with
		// whether the host refuses connections at that time.
		steps []step
		// wantSent are the attempts each host got.
		wantSent        map[string]int
		wantNetworkDown bool
		wantErrs        []bool // per step: an error wanted
	}{
		{
			name:     "one host unreachable: given up after two attempts, others fine",
			steps:    []step{{"a.test", true}, {"a.test", true}, {"b.test", false}},
			wantSent: map[string]int{"a.test": 2, "b.test": 1},
			wantErrs: []bool{true, true, false},
		},
		{
			name:            "no host ever answered and two are unreachable: the network is down",
			steps:           []step{{"a.test", true}, {"b.test", true}, {"c.test", false}},
			wantSent:        map[string]int{"a.test": 2, "b.test": 1},
			wantNetworkDown: true,
			wantErrs:        []bool{true, true, true},
		},
		{
			name:     "a host that answered before is retried to the full attempts",
			steps:    []step{{"a.test", false}, {"a.test", true}, {"b.test", true}},
			wantSent: map[string]int{"a.test": 4, "b.test": 2},
			wantErrs: []bool{false, true, true},
		},
		{
			name:     "the group of an unreachable host is given up with it",
			steps:    []step{{"api.g.test", true}, {"pages.g.test", false}},
			wantSent: map[string]int{"api.g.test": 2},
			wantErrs: []bool{true, true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := &refusing{down: map[string]bool{}, sent: map[string]int{}, proxy: strings.Contains(tt.name, "network")}
			opts := fastOptions()
			opts.Base = base
			group := hostpool.Policy{Group: "g"}
			opts.Hosts = map[hostpool.Host]hostpool.Policy{
				hostpool.NewHost("http", "api.g.test"):   group,
				hostpool.NewHost("http", "pages.g.test"): group,
			}
			tr := hostpool.New(opts)
			c := &http.Client{Transport: tr}
			for i, st := range tt.steps {
				base.set(st.host, st.refuse)
				_, _, err := get(t.Context(), c, "http://"+st.host+"/")
				if (err != nil) != tt.wantErrs[i] {
					t.Errorf("step %d (%s): err %v, want an error: %v", i, st.host, err, tt.wantErrs[i])
				}
				if err != nil && !errors.Is(err, paperlist.ErrHostDown) {
					t.Errorf("step %d: %v is not ErrHostDown", i, err)
				}
			}
			for host, n := range tt.wantSent {
				if base.sent[host] != n {
					t.Errorf("%s got %d attempts, want %d (all: %v)", host, base.sent[host], n, base.sent)
				}
			}
			if len(base.sent) != len(tt.wantSent) {
				t.Errorf("attempts by host %v, want %v", base.sent, tt.wantSent)
			}
			if down := tr.NetworkDown(); (down != nil) != tt.wantNetworkDown {
				t.Errorf("NetworkDown() = %v, want down: %v", down, tt.wantNetworkDown)
			}
		})
	}
}

type step struct {
	host   string
	refuse bool
}

func TestConnectFailure(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"dns", &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}, true},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"proxy", &net.OpError{Op: "proxyconnect", Net: "tcp", Err: errors.New("refused")}, true},
		{"no route", syscall.EHOSTUNREACH, true},
		{"reset while reading", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, false},
		{"other", errors.New("unexpected EOF"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hostpool.ConnectFailure(tt.err); got != tt.want {
				t.Errorf("ConnectFailure(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
