// Package describe is the one canonical text form of session inputs,
// effects and AMF values, shared by the server session (package core) and
// the client session (package core/client). Their DescribeInput and
// DescribeEffect functions, the golden transcripts and the drivers' traces
// all print through it, so a value reads the same on either side.
//
// Each session package adds its own enumerations through Printer.Special
// and hides empty fields through Printer.Quiet.
package describe
