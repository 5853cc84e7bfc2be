package hostpool

import (
	"net"
	"net/url"
	"strings"
)

// Host is the key a Transport keeps a host's policy and state by: the host
// name in lower case without a trailing dot, and the port only when it is
// not the default port of the scheme. "https://Export.arXiv.org/",
// "https://export.arxiv.org:443/" and "http://export.arxiv.org/" are one
// host; "http://export.arxiv.org:8080/" is another. The zero Host is no
// host.
type Host struct{ key string }

// NewHost returns the Host of hostport (a name or an address, with an
// optional port, as in url.URL.Host) reached over scheme.
func NewHost(scheme, hostport string) Host {
	u := url.URL{Host: hostport}
	name := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if port == defaultPort(scheme) {
		port = ""
	}
	switch {
	case name == "" && port == "":
		return Host{}
	case port != "":
		return Host{net.JoinHostPort(name, port)}
	case strings.Contains(name, ":"):
		return Host{"[" + name + "]"} // an IPv6 address
	default:
		return Host{name}
	}
}

// HostOf returns the Host that u is sent to.
func HostOf(u *url.URL) Host { return NewHost(u.Scheme, u.Host) }

// String returns the host as a URL would name it: "export.arxiv.org",
// "127.0.0.1:8080".
func (h Host) String() string { return h.key }

func defaultPort(scheme string) string {
	switch strings.ToLower(scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}
