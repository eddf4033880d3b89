package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// child is a running gpu-load.py: its stdout read line by line, its stdin
// open for burst commands.
type child struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

func start(ctx context.Context, python, script string, args ...string) (*child, error) {
	cmd := exec.CommandContext(ctx, python, append([]string{script}, args...)...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("gpu-load stdin: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("gpu-load stdout: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start gpu-load: %w", err)
	}
	return &child{cmd: cmd, in: in, out: bufio.NewScanner(out)}, nil
}

// expect reads the next line and checks its first word.
func (c *child) expect(word string) ([]string, error) {
	if !c.out.Scan() {
		err := c.out.Err()
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("gpu-load: waiting for %q: %w", word, err)
	}
	f := strings.Fields(c.out.Text())
	if len(f) == 0 || f[0] != word {
		return nil, fmt.Errorf("gpu-load: got %q, want %q", c.out.Text(), word)
	}
	return f, nil
}

func (c *child) send(line string) error {
	_, err := io.WriteString(c.in, line+"\n")
	return err
}

// wait closes stdin and waits for the process to end.
func (c *child) wait() error {
	c.in.Close()
	if err := c.cmd.Wait(); err != nil {
		return fmt.Errorf("gpu-load: %w", err)
	}
	return nil
}
