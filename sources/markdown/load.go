package markdown

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/paperlist/paperlist"
)

// Builtin is the paper list built into the binary: a copy of the
// LLaMA-Paper-List README.
//
//go:embed LLaMA-Paper-List.md
var Builtin []byte

// BuiltinSource is the Source of the built-in list.
const BuiltinSource = "builtin:LLaMA-Paper-List.md"

// Load reads the list that a command-line argument names: the built-in list
// when arg is empty, the document at arg when it is an http(s) URL, fetched
// with client (which the caller gives its timeout), else the file at path
// arg. A list larger than MaxSize, a response other than 2xx and a file that
// cannot be read are errors. The list's Source is BuiltinSource, the URL
// (without any password) or the path as given.
func Load(ctx context.Context, client *http.Client, arg string) (*paperlist.List, error) {
	src, source, err := Read(ctx, client, arg)
	if err != nil {
		return nil, err
	}
	return ParseRead(ctx, src, source, arg)
}

// ParseRead parses the bytes src and source that Read returned for arg, as
// Load does: src is given away (unless arg names the built-in list), and
// the list's text is slices of it rather than of a copy.
func ParseRead(ctx context.Context, src []byte, source, arg string) (*paperlist.List, error) {
	l, err := parse(ctx, src, source, chunkSize, arg != "")
	if err != nil {
		return nil, fmt.Errorf("read list %s: %w", source, err)
	}
	return l, nil
}

// Read returns the bytes of the list that arg names, read as Load reads
// them, and the Source a list parsed from them gets. A caller that edits
// the list (fix) keeps the bytes and parses them itself.
func Read(ctx context.Context, client *http.Client, arg string) (src []byte, source string, err error) {
	if arg == "" {
		return Builtin, BuiltinSource, nil
	}
	source = arg
	if IsURL(arg) {
		source = RedactURL(arg)
		if src, err = fetch(ctx, client, arg); err != nil {
			return nil, source, fmt.Errorf("fetch list %s: %w", source, err)
		}
		return src, source, nil
	}
	if src, err = readFile(arg); err != nil {
		return nil, source, fmt.Errorf("read list %s: %w", source, err)
	}
	return src, source, nil
}

// secretParams are the query parameters whose values RedactURL hides: the
// names that services give a token, key or signature in a URL.
var secretParams = []string{"token", "access_token", "auth", "key", "api_key", "apikey", "secret", "password", "sig", "signature", "x-amz-signature", "x-amz-credential", "x-goog-signature"}

// RedactURL is the URL of a list as paperlist shows it anywhere (logs,
// papers.json's list.source, annotations, the step summary): the password
// of its userinfo and the value of each query parameter named like a secret
// (token=, access_token=, key=, sig=, …, in any case) replaced by "xxxxx",
// as url.URL.Redacted does for the password. A URL that does not parse is
// shown as its scheme and host alone when they can be found, else as
// "(unreadable URL)": its text may hold anything.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable URL)"
	}
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for name := range q {
			if slices.Contains(secretParams, strings.ToLower(name)) {
				q[name] = []string{"xxxxx"}
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.Redacted()
}

// IsURL reports whether the list argument arg names a document fetched over
// HTTP rather than a file: it starts with http:// or https://, in any case
// (a scheme is case-insensitive). Load and Read decide by it, and so does a
// command that must not treat a fetched list as a file.
func IsURL(arg string) bool {
	a := strings.ToLower(arg)
	return strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://")
}

func fetch(ctx context.Context, client *http.Client, rawURL string) ([]byte, error) {
	if client == nil {
		return nil, errors.New("no http client")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/markdown, text/plain;q=0.9, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		// *url.Error repeats the method and URL, which the caller gives.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			return nil, uerr.Err
		}
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("status %s", resp.Status)
	}
	return readLimited(resp.Body)
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f)
}

// readLimited reads r to its end, failing when it holds more than MaxSize
// bytes.
func readLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxSize {
		return nil, fmt.Errorf("larger than the limit of %d bytes", MaxSize)
	}
	return b, nil
}
