// The file the shared precompiled headers are built with (see the top
// CMakeLists.txt); it holds no code.
