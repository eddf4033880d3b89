package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/tr119/tr119/bench/internal/benchinput"
)

// readResults pools every sample per shape from a JSON-lines file (one
// line per shape per round).
func readResults(path string) (map[string][]float64, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	pooled := map[string][]float64{}
	var order []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if _, ok := pooled[r.Shape]; !ok {
			order = append(order, r.Shape)
		}
		pooled[r.Shape] = append(pooled[r.Shape], r.SamplesMS...)
	}
	return pooled, order, sc.Err()
}

// compare prints each shape's pooled medians and their ratio, and the
// geometric mean of the ratios; it fails when that exceeds the target.
func compare(o options, w io.Writer) error {
	paths := strings.Split(o.compare, ",")
	if len(paths) != 2 {
		return fmt.Errorf("-compare wants GO_JSONL,NODE_JSONL")
	}
	goRes, order, err := readResults(paths[0])
	if err != nil {
		return err
	}
	nodeRes, _, err := readResults(paths[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-14s %6s %12s %12s %8s\n", "shape", "n", "tr119 ms", "node ms", "ratio")
	logSum, k := 0.0, 0
	for _, s := range order {
		g, n := goRes[s], nodeRes[s]
		if len(n) == 0 {
			return fmt.Errorf("shape %s: no node samples", s)
		}
		gm, nm := benchinput.Median(g), benchinput.Median(n)
		fmt.Fprintf(w, "%-14s %6d %12.3f %12.3f %8.3f\n", s, len(g), gm, nm, gm/nm)
		logSum += math.Log(gm / nm)
		k++
	}
	geo := math.Exp(logSum / float64(k))
	fmt.Fprintf(w, "geometric mean tr119/node median ratio: %.3f (target <= %.2f)\n", geo, o.target)
	if geo > o.target {
		return fmt.Errorf("ratio %.3f exceeds %.2f", geo, o.target)
	}
	return nil
}
