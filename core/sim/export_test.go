package sim

// PlantCheck returns cfg with one more invariant, checked after all the
// others, so that a test can make a run fail at will.
func PlantCheck(cfg Config, check func(Result) string) Config {
	cfg.plantedCheck = check
	return cfg
}
