package amf0

// Get returns the value of the first property named key.
func (o Object) Get(key string) (Value, bool) { return get(o, key) }

// String returns the string property named key, if it is a string.
func (o Object) String(key string) (string, bool) { return getString(o, key) }

// Number returns the number property named key, if it is a number.
func (o Object) Number(key string) (float64, bool) { return getNumber(o, key) }

// Get returns the value of the first property named key.
func (a ECMAArray) Get(key string) (Value, bool) { return get(a, key) }

// String returns the string property named key, if it is a string.
func (a ECMAArray) String(key string) (string, bool) { return getString(a, key) }

// Number returns the number property named key, if it is a number.
func (a ECMAArray) Number(key string) (float64, bool) { return getNumber(a, key) }

// Properties returns the key/value pairs of an Object, ECMAArray or
// TypedObject, and false for any other value. Clients send the same
// parameters in any of the three forms, so readers use this.
func Properties(v Value) ([]Property, bool) {
	switch t := v.(type) {
	case Object:
		return t, true
	case ECMAArray:
		return t, true
	case TypedObject:
		return t.Properties, true
	}
	return nil, false
}

func get(ps []Property, key string) (Value, bool) {
	for _, p := range ps {
		if p.Key == key {
			return p.Value, true
		}
	}
	return nil, false
}

func getString(ps []Property, key string) (string, bool) {
	v, _ := get(ps, key)
	s, ok := v.(string)
	return s, ok
}

func getNumber(ps []Property, key string) (float64, bool) {
	v, _ := get(ps, key)
	n, ok := v.(float64)
	return n, ok
}
