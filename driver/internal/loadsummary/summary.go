package loadsummary

// Summary is what one rtmpload run delivered.
type Summary struct {
	Players, Connected, Failed int
	Published                  int64
	// Publishers streams were published, PublishedBytes their audio and
	// video payload bytes (what a server received, for an ingest
	// benchmark).
	Publishers            int   `json:",omitempty"`
	PublishedBytes        int64 `json:",omitempty"`
	TotalBytes            int64
	Behind, Short         int
	ClientDropped         int
	FirstKeyframeMedianMS float64
	FirstKeyframeP99MS    float64
	// Late players joined one at a time while the stream ran; their
	// time to the first keyframe is what fast start is for.
	Late, LateFailed          int
	LateFirstKeyframeMedianMS float64
	LateFirstKeyframeP99MS    float64
	DelayMedianMS, DelayP99MS float64
	DelayP999MS               float64
	CPUSeconds, WallSeconds   float64
	FirstError                string `json:",omitempty"`
}
