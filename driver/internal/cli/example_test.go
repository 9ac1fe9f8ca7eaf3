package cli_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/gortmp/rtmp/driver/internal/cli"
)

// A command's main is one call: flags in, work done, status out.
func ExampleMain() {
	parse := func(args []string, stderr io.Writer) (string, error) {
		fs := flag.NewFlagSet("greet", flag.ContinueOnError)
		fs.SetOutput(stderr)
		who := fs.String("who", "world", "whom to greet")
		err := fs.Parse(args)
		return *who, err
	}
	run := func(ctx context.Context, who string) error {
		fmt.Println("hello,", who)
		return ctx.Err()
	}
	// As if started as "greet -who gopher".
	saved := os.Args
	os.Args = []string{"greet", "-who", "gopher"}
	defer func() { os.Args = saved }()

	cli.Main("greet", parse, run)
	// Output: hello, gopher
}
