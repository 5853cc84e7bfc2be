package paperlist

// UserAgent is the User-Agent of every request paperlist sends at the
// given version: "paperlist/VERSION (+https://github.com/paperlist/paperlist)",
// naming the tool, its version and where to find it, as arXiv asks of API
// clients. The command passes its build's version; a client whose options
// name no User-Agent sends DefaultUserAgent.
func UserAgent(version string) string {
	if version == "" {
		version = "devel"
	}
	return "paperlist/" + version + " (+https://github.com/paperlist/paperlist)"
}

// DefaultUserAgent is the User-Agent of a client built without one: that of
// an unknown ("devel") version.
var DefaultUserAgent = UserAgent("")
