package cache_test

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tr119/tr119/cache"
)

// A stage's output is stored, recorded under the stage's action key, and
// materialised into the results folder; the next run finds it by key.
func Example() {
	dir, _ := os.MkdirTemp("", "cache-example")
	defer os.RemoveAll(dir)
	c, err := cache.Open(filepath.Join(dir, "cache"), cache.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	out := filepath.Join(dir, "scratch", "summary.csv")
	os.MkdirAll(filepath.Dir(out), 0o755)
	os.WriteFile(out, []byte("backend,usd_per_1m_tokens\ncpu,0.42\n"), 0o644)

	obj, _ := c.PutFile(out)
	key := cache.ActionID(sha256.Sum256([]byte("key v1\nkind cost 1\n")))
	c.PutAction(key, &cache.ActionEntry{Outputs: []cache.Output{{Name: "summary", MediaType: "text/csv", Object: obj}}})

	e, err := c.GetAction(key)
	if err != nil {
		fmt.Println(err)
		return
	}
	res := filepath.Join(dir, "results", "cost", "summary.csv")
	if err := c.Materialize(e.Outputs[0].Object, res); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(res)
	fmt.Printf("%s %d bytes\n%s", e.Outputs[0].SHA256[:12], e.Outputs[0].Size, b)
	// Output:
	// 72cc48925bf5 35 bytes
	// backend,usd_per_1m_tokens
	// cpu,0.42
}
