package compat

import "testing"

type fixedVersion string

func (v fixedVersion) GetServerVersion() string { return string(v) }

func TestAtLeast(t *testing.T) {
	cases := []struct {
		have, want string
		ok         bool
	}{
		{"9.11.0", "9.11", true},
		{"9.11.0", "9.8", true},
		{"9.8.1", "9.11", false},
		{"10.10.1", "10.9", true},
		{"11.0.0", "10.10", true},
		{"11.9.0-rc1", "11.9", true},
		{"v11.10.0", "11.10", true},
		{"", "9.0", false},
	}
	for _, c := range cases {
		if got := AtLeast(c.have, c.want); got != c.ok {
			t.Errorf("AtLeast(%q, %q) = %v, want %v", c.have, c.want, got, c.ok)
		}
	}
}

func TestSinceRunsOnlyOnNewEnoughServers(t *testing.T) {
	ran := false
	if Since(fixedVersion("9.11.0"), "10.1", func() { ran = true }) || ran {
		t.Fatal("ran on a server older than the guard")
	}
	if !Since(fixedVersion("10.1.0"), "10.1", func() { ran = true }) || !ran {
		t.Fatal("did not run on a server at the guard's version")
	}
}
