package series

// Point is one reading: T in nanoseconds on the caller's clock, V the value
// (a cumulative counter in joules, or a power in watts).
type Point struct {
	T int64
	V float64
}

// Result is an energy over a window and the evidence behind it.
type Result struct {
	// Joules is the energy attributed to the window.
	Joules float64
	// Updates is the number of counter updates (for a counter) or power
	// samples (for samples) that fall inside the window.
	Updates int
}

// Unwrap turns raw readings of a counter that wraps to zero after maxRange
// into a monotonic cumulative sum: each step is cur-prev, or
// maxRange-prev+cur when cur < prev (the counter wrapped once). maxRange 0
// means the counter never wraps; a decrease is then treated as a reset
// and contributes cur. The first output value is 0.
func Unwrap(raw []uint64, maxRange uint64) []float64 {
	out := make([]float64, len(raw))
	var sum float64
	for i := 1; i < len(raw); i++ {
		sum += float64(Step(raw[i-1], raw[i], maxRange))
		out[i] = sum
	}
	return out
}

// Step is the increase of a wrapping counter from prev to cur; see Unwrap.
func Step(prev, cur, maxRange uint64) uint64 {
	if cur >= prev {
		return cur - prev
	}
	if maxRange == 0 || prev > maxRange {
		return cur
	}
	return maxRange - prev + cur
}
