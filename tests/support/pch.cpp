// The file the tests' shared precompiled headers are built with (see
// tests/CMakeLists.txt); it holds no code.
