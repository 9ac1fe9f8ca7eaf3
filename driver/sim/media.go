package sim

import (
	"os"

	"github.com/gortmp/rtmp/codec/flv"
)

// ReadFLV returns every tag of an FLV file, in order.
func ReadFLV(path string) ([]flv.Tag, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return flv.ReadAll(f)
}
