package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses of a command.
const (
	StatusOK       = 0
	StatusFailed   = 1
	StatusBadFlags = 2
)

// Main is the whole main function of command name: it parses the process's
// arguments with parse (which writes usage to the writer it is given) and
// runs the result with run under a context that ends on SIGINT or SIGTERM.
// Errors go to standard error as "name: error". Main returns when the
// status is StatusOK and exits the process otherwise.
func Main[O any](name string, parse func(args []string, stderr io.Writer) (O, error), run func(context.Context, O) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, name, os.Args[1:], os.Stderr, parse, run)
	stop()
	if code != StatusOK {
		os.Exit(code)
	}
}

// execute is Main without the process: it returns the exit status.
func execute[O any](ctx context.Context, name string, args []string, stderr io.Writer, parse func([]string, io.Writer) (O, error), run func(context.Context, O) error) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return StatusOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return StatusBadFlags
	}
	if err := run(ctx, o); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return StatusFailed
	}
	return StatusOK
}
