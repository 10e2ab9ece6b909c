//===- CudaDriver.h - The CUDA driver API, loaded with dlopen at run time -===//
//
// attnc links nothing from CUDA: the driver (libcuda.so.1) is opened when
// the first GPU call needs it, and the few entry points attnc uses are looked
// up by name. The types below are the driver's ABI, declared here so that
// no CUDA header is needed to build attnc (CI has none).
//
//===----------------------------------------------------------------------===//

#ifndef ATTNC_RUNTIME_CUDADRIVER_H
#define ATTNC_RUNTIME_CUDADRIVER_H

#include "runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace attnc::cuda::driver {

/// The driver's status code (CUresult); 0 is success.
using Result = int;
/// A device ordinal handle (CUdevice).
using Device = int;
/// A device address (CUdeviceptr, 64-bit on every platform attnc supports).
using DevicePtr = unsigned long long;
using Context = struct OpaqueContext *;
using ModuleHandle = struct OpaqueModule *;
using Function = struct OpaqueFunction *;
using Stream = struct OpaqueStream *;
using Event = struct OpaqueEvent *;

/// The CUresult values attnc tells apart.
enum : Result {
  Success = 0,
  ErrorInvalidValue = 1,
  ErrorDeinitialized = 4,
  ErrorStubLibrary = 34,
  ErrorNoDevice = 100,
  ErrorNotFound = 500,
};

/// CUjit_option values for cuModuleLoadDataEx.
enum JitOption : int {
  JitErrorLogBuffer = 5,
  JitErrorLogBufferSizeBytes = 6,
  JitOptimizationLevel = 7,
};

/// CUdevice_attribute values.
enum DeviceAttribute : int {
  AttrComputeCapabilityMajor = 75,
  AttrComputeCapabilityMinor = 76,
  AttrMaxSharedMemoryPerBlockOptin = 97,
};

/// CUfunction_attribute values.
enum FunctionAttribute : int {
  FuncMaxDynamicSharedSizeBytes = 8,
  FuncNonPortableClusterSizeAllowed = 14,
};

/// Flag values of the create/alloc calls.
enum : unsigned {
  StreamNonBlocking = 1,
  EventDisableTiming = 2,
  MemAttachGlobal = 1,
};

/// CUlaunchAttributeID: the cluster shape of a cuLaunchKernelEx launch.
enum : int { LaunchAttributeClusterDimension = 4 };

/// CUlaunchAttribute: an id, padding to 8 bytes, and a 64-byte value union
/// whose cluster-dimension member is three unsigned ints.
struct LaunchAttribute {
  int id;
  char pad[4];
  union alignas(8) {
    char bytes[64];
    struct {
      unsigned x, y, z;
    } clusterDim;
  } value;
};
static_assert(sizeof(LaunchAttribute) == 72, "CUlaunchAttribute ABI");

/// CUlaunchConfig.
struct LaunchConfig {
  unsigned gridDimX, gridDimY, gridDimZ;
  unsigned blockDimX, blockDimY, blockDimZ;
  unsigned sharedMemBytes;
  Stream stream;
  LaunchAttribute *attrs;
  unsigned numAttrs;
};

/// CUtensorMap: 128 opaque bytes, 64-byte aligned when used by a kernel.
struct alignas(128) TensorMap {
  uint64_t opaque[16];
};

/// The driver entry points attnc calls. The names are the versioned symbols
/// the driver exports (cuda.h maps cuMemAlloc to cuMemAlloc_v2 and so on).
/// Entries marked optional may be null: older drivers lack them, and the
/// calls that need them say so.
struct Api {
  Result (*cuInit)(unsigned flags);
  Result (*cuGetErrorName)(Result, const char **);
  Result (*cuGetErrorString)(Result, const char **);
  Result (*cuDeviceGetCount)(int *count);
  Result (*cuDeviceGet)(Device *device, int ordinal);
  Result (*cuDeviceGetName)(char *name, int length, Device device);
  Result (*cuDeviceGetAttribute)(int *value, int attribute, Device device);
  Result (*cuDevicePrimaryCtxRetain)(Context *context, Device device);
  Result (*cuDevicePrimaryCtxRelease)(Device device);
  Result (*cuCtxGetCurrent)(Context *context);
  Result (*cuCtxSetCurrent)(Context context);
  Result (*cuCtxSynchronize)();
  Result (*cuModuleLoadData)(ModuleHandle *module, const void *image);
  Result (*cuModuleLoadDataEx)(ModuleHandle *module, const void *image,
                               unsigned numOptions, JitOption *options,
                               void **values);
  Result (*cuModuleUnload)(ModuleHandle module);
  Result (*cuModuleGetFunction)(Function *function, ModuleHandle module,
                                const char *name);
  Result (*cuFuncSetAttribute)(Function function, int attribute, int value);
  Result (*cuLaunchKernel)(Function function, unsigned gridX, unsigned gridY,
                           unsigned gridZ, unsigned blockX, unsigned blockY,
                           unsigned blockZ, unsigned sharedMemBytes,
                           Stream stream, void **params, void **extra);
  /// Optional (CUDA 12): cluster launches.
  Result (*cuLaunchKernelEx)(const LaunchConfig *config, Function function,
                             void **params, void **extra);
  Result (*cuStreamCreate)(Stream *stream, unsigned flags);
  Result (*cuStreamSynchronize)(Stream stream);
  Result (*cuStreamDestroy)(Stream stream);
  Result (*cuStreamWaitEvent)(Stream stream, Event event, unsigned flags);
  Result (*cuEventCreate)(Event *event, unsigned flags);
  Result (*cuEventDestroy)(Event event);
  Result (*cuEventRecord)(Event event, Stream stream);
  Result (*cuEventSynchronize)(Event event);
  Result (*cuMemAlloc)(DevicePtr *ptr, size_t bytes);
  Result (*cuMemAllocManaged)(DevicePtr *ptr, size_t bytes, unsigned flags);
  Result (*cuMemFree)(DevicePtr ptr);
  Result (*cuMemcpyHtoD)(DevicePtr dst, const void *src, size_t bytes);
  Result (*cuMemcpyDtoH)(void *dst, DevicePtr src, size_t bytes);
  Result (*cuMemcpyAsync)(DevicePtr dst, DevicePtr src, size_t bytes,
                          Stream stream);
  Result (*cuMemsetD16Async)(DevicePtr dst, unsigned short value,
                             size_t count, Stream stream);
  Result (*cuMemsetD32Async)(DevicePtr dst, unsigned value, size_t count,
                             Stream stream);
  Result (*cuMemHostRegister)(void *ptr, size_t bytes, unsigned flags);
  Result (*cuMemHostUnregister)(void *ptr);
  /// Optional (CUDA 12): TMA descriptors.
  Result (*cuTensorMapEncodeTiled)(
      TensorMap *map, int dataType, uint32_t rank, void *address,
      const uint64_t *globalDim, const uint64_t *globalStrides,
      const uint32_t *boxDim, const uint32_t *elementStrides, int interleave,
      int swizzle, int l2Promotion, int oobFill);
};

/// An opened driver library and its entry points.
struct Library {
  /// The dlopen handle.
  void *handle = nullptr;
  /// What was asked for: "libcuda.so.1" or $ATTNC_LIBCUDA.
  std::string requested;
  /// The file the dynamic loader picked (so that a stub found through
  /// LD_LIBRARY_PATH is named in errors).
  std::string path;
  Api api{};
};

/// The environment variable that names the driver library to open instead
/// of libcuda.so.1 (tests point it at a missing file, the toolkit's stub or
/// a fake driver).
inline constexpr const char *kLibraryEnvVar = "ATTNC_LIBCUDA";

/// Opens the driver library and looks up every entry point. Errors start
/// with "no CUDA driver:" (nothing to open) or "no usable CUDA driver:" (a
/// required entry point is missing).
attnc::Result<Library> openLibrary();

/// Closes a library opened by openLibrary.
void closeLibrary(Library &library);

/// "CUDA_ERROR_NAME (description)" for a result, also from drivers (like the
/// toolkit's stub) whose cuGetErrorName fails.
std::string describe(const Api &api, Result result);

} // namespace attnc::cuda::driver

#endif // ATTNC_RUNTIME_CUDADRIVER_H
