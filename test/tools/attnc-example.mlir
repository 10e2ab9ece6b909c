// examples/aot-sdpa end to end, as its README tells: attnc builds the
// library and header, a plain C++ compiler builds main.cpp against them with
// no MLIR or LLVM, and the program checks the result against its own naive
// attention in double.

// RUN: rm -rf %t && mkdir -p %t
// RUN: attnc %S/../../examples/aot-sdpa/attn.mlir --emit=shared -o %t/libattn_sdpa.so --header %t/attn_sdpa.h
// RUN: c++ -std=c++17 -O2 -Wall -Wextra -Wcast-qual -Wconversion -Wsign-conversion -pedantic -Werror -I %t %S/../../examples/aot-sdpa/main.cpp %t/libattn_sdpa.so -Wl,-rpath,%t -o %t/aot-sdpa
// RUN: %t/aot-sdpa | FileCheck %s
// CHECK: aot-sdpa: [1, 4, 128, 64] causal attention, max rel err {{.*}} (ok)

// Neither the program nor the library needs MLIR or LLVM at run time.
// RUN: llvm-readobj --needed-libs %t/aot-sdpa %t/libattn_sdpa.so | FileCheck %s --check-prefix=NEEDED --implicit-check-not=MLIR --implicit-check-not=LLVM
// NEEDED: libattn_sdpa.so
// NEEDED: libomp.so
