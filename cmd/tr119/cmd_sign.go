package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/attest"
	"github.com/tr119/tr119/manifest"
)

// signatureName is the signed manifest's file name beside manifest.json.
const signatureName = "manifest.dsse.json"

// sign wraps a manifest in a DSSE envelope signed with an ed25519 key.
func (a *app) sign(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("sign", &x)
	key := fs.String("key", "", "ed25519 private key, PKCS #8 PEM (tr119 keygen or openssl genpkey -algorithm ed25519)")
	out := fs.String("o", "", "where to write the envelope (default: "+signatureName+" beside the manifest)")
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	if *key == "" {
		return a.fail(x.json, "sign: -key is required")
	}
	path := manifestPath(x.positional)
	priv, err := attest.ReadPrivateKey(*key)
	if err != nil {
		return a.fail(x.json, "sign: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return a.fail(x.json, "sign: %v", err)
	}
	// Sign only a manifest that reads back strictly.
	if _, err := manifest.Parse(b); err != nil {
		return a.fail(x.json, "sign: %s: %v", path, err)
	}
	env, err := attest.Sign(ctx, b, priv)
	if err != nil {
		return a.fail(x.json, "%v", err)
	}
	dst := *out
	if dst == "" {
		dst = filepath.Join(filepath.Dir(path), signatureName)
	}
	if err := artifacts.WriteFileAtomic(dst, env, 0o644); err != nil {
		return a.fail(x.json, "sign: %v", err)
	}
	id, _ := attest.KeyID(priv.Public().(ed25519.PublicKey))
	fmt.Fprintf(a.stdout, "Signed %s: %s (key %s)\n", path, dst, id)
	return 0
}

// keygen writes a new ed25519 key pair.
func (a *app) keygen(_ context.Context, argv []string) int {
	var x args
	fs := a.flagSet("keygen", &x)
	prefix := fs.String("o", "tr119", "write PREFIX.key (private, mode 0600) and PREFIX.pub")
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	priv, pub, err := attest.GenerateKey()
	if err != nil {
		return a.fail(x.json, "%v", err)
	}
	keyPath, pubPath := *prefix+".key", *prefix+".pub"
	for _, p := range []string{keyPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			return a.fail(x.json, "keygen: %s exists; not overwriting a key", p)
		}
	}
	if err := artifacts.WriteFileAtomic(keyPath, priv, 0o600); err != nil {
		return a.fail(x.json, "keygen: %v", err)
	}
	if err := artifacts.WriteFileAtomic(pubPath, pub, 0o644); err != nil {
		return a.fail(x.json, "keygen: %v", err)
	}
	fmt.Fprintf(a.stdout, "Wrote %s (keep it secret) and %s (give it to auditors).\n", keyPath, pubPath)
	return 0
}

// manifestPath is the manifest a command names, or results/manifest.json.
func manifestPath(arg string) string {
	if arg == "" {
		return filepath.Join("results", "manifest.json")
	}
	return arg
}
