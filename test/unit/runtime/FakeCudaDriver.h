//===- FakeCudaDriver.h - Steering the fake libcuda of the CUDA runtime tests ===//
//
// FakeCudaDriver.cpp builds a stand-in for libcuda.so.1 that the runtime
// opens through $ATTNC_LIBCUDA, so that the runtime's own logic (context
// binding, argument passing, launch checks, sticky errors, releases) is
// tested on machines without a GPU. Device memory is host memory; modules
// are PTX text whose `.entry` names are their functions; launches are
// recorded, not run. Tests reach the functions below with dlsym on the
// library the runtime opened.
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_TEST_UNIT_RUNTIME_FAKECUDADRIVER_H
#define ATTNC_TEST_UNIT_RUNTIME_FAKECUDADRIVER_H

#include <cstddef>
#include <cstdint>

/// The last kernel launch the fake saw.
struct FakeCudaLaunch {
  char kernel[64];
  unsigned grid[3], block[3], cluster[3];
  unsigned sharedBytes;
  void *stream;
  void **params;
  /// CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES and
  /// NON_PORTABLE_CLUSTER_SIZE_ALLOWED as set on the function.
  int maxDynamicSharedBytes;
  int nonPortableClusterSize;
};

/// The last cuTensorMapEncodeTiled call.
struct FakeCudaTensorMap {
  int dataType;
  unsigned rank;
  void *address;
  uint64_t globalDim[5], globalStrides[4];
  uint32_t box[5], elementStrides[5];
  int interleave, swizzle, l2Promotion, oobFill;
};

/// What the fake has seen and holds.
struct FakeCudaCounters {
  int launches;
  int tensorMapEncodes;
  int liveAllocations;
  int liveManagedAllocations;
  int liveStreams;
  int liveEvents;
  int liveModules;
  int contextRefs;
  int registeredHostRanges;
  size_t lastRegisteredBytes;
  int lastDeviceOrdinal;
  int lastJitOptLevel;
};

extern "C" {
/// Forgets everything; the next cuInit returns `initResult`, and then the
/// driver reports `deviceCount` devices.
using FakeCudaResetFn = void (*)(int deviceCount, int initResult);
/// The next call of the driver function `name` (its exported name, such as
/// "cuMemAlloc_v2") returns `result` without doing anything.
using FakeCudaFailNextFn = void (*)(const char *name, int result);
using FakeCudaLastLaunchFn = const FakeCudaLaunch *(*)();
using FakeCudaLastTensorMapFn = const FakeCudaTensorMap *(*)();
using FakeCudaCountersFn = const FakeCudaCounters *(*)();
}

#endif // ATTNC_TEST_UNIT_RUNTIME_FAKECUDADRIVER_H
