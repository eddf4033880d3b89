package benchmark

import "testing"

func TestCPUUsage(t *testing.T) {
	a := cpuSnap{proc: 1.0, procOK: true, busy: 10, total: 40, sysOK: true}
	for _, c := range []struct {
		name            string
		b               cpuSnap
		calls           int
		perCall, util   float64
		hasCall, hasUtl bool
	}{
		{"two calls, half busy", cpuSnap{proc: 1.5, procOK: true, busy: 12, total: 44, sysOK: true}, 2, 0.25, 0.5, true, true},
		{"no calls", cpuSnap{proc: 1.5, procOK: true, busy: 12, total: 44, sysOK: true}, 0, 0, 0.5, false, true},
		{"no tick elapsed", cpuSnap{proc: 1.1, procOK: true, busy: 10, total: 40, sysOK: true}, 1, 0.1, 0, true, false},
		{"unreadable", cpuSnap{}, 1, 0, 0, false, false},
		{"clamped", cpuSnap{proc: 1, procOK: true, busy: 20, total: 45, sysOK: true}, 1, 0, 1, true, true},
	} {
		pc, u := a.usage(c.b, c.calls)
		if (pc != nil) != c.hasCall || (pc != nil && abs(*pc-c.perCall) > 1e-12) {
			t.Errorf("%s: per call %v, want %v (%v)", c.name, pc, c.perCall, c.hasCall)
		}
		if (u != nil) != c.hasUtl || (u != nil && abs(*u-c.util) > 1e-12) {
			t.Errorf("%s: util %v, want %v (%v)", c.name, u, c.util, c.hasUtl)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
