//===- CudaDriver.cpp - Opening libcuda with dlopen and naming its results ===//

#include "runtime/CudaDriver.h"

#include <cstdlib>
#include <dlfcn.h>

using namespace attnc::cuda::driver;

namespace {

/// One entry point: its exported name, where to store it, and whether a
/// driver without it is still usable.
struct Symbol {
  const char *name;
  void **slot;
  bool optional;
};

/// Casts a function-pointer member to the generic slot dlsym fills.
template <typename Fn> void **slot(Fn *&member) {
  return reinterpret_cast<void **>(&member);
}

/// The results whose names errors most often need, for drivers whose
/// cuGetErrorName fails: the toolkit's stub library returns
/// CUDA_ERROR_STUB_LIBRARY from every call, that one included.
struct KnownResult {
  Result value;
  const char *name;
  const char *description;
};
constexpr KnownResult kKnownResults[] = {
    {0, "CUDA_SUCCESS", "no error"},
    {1, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {3, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {4, "CUDA_ERROR_DEINITIALIZED", "driver shutting down"},
    {34, "CUDA_ERROR_STUB_LIBRARY",
     "CUDA driver is a stub library"},
    {36, "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER",
     "the call requires a newer driver"},
    {46, "CUDA_ERROR_DEVICE_UNAVAILABLE", "CUDA-capable device(s) is/are busy "
                                          "or unavailable"},
    {100, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {101, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {200, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {201, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {209, "CUDA_ERROR_NO_BINARY_FOR_GPU",
     "no kernel image is available for execution on the device"},
    {218, "CUDA_ERROR_INVALID_PTX",
     "a PTX JIT compilation failed"},
    {222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
     "the provided PTX was compiled with an unsupported toolchain"},
    {400, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {500, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {700, "CUDA_ERROR_ILLEGAL_ADDRESS",
     "an illegal memory access was encountered"},
    {701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES",
     "too many resources requested for launch"},
    {719, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {801, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {802, "CUDA_ERROR_SYSTEM_NOT_READY", "system not yet initialized"},
    {803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH",
     "system has unsupported display driver / cuda driver combination"},
    {804, "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE",
     "forward compatibility was attempted on non supported HW"},
    {912, "CUDA_ERROR_INVALID_CLUSTER_SIZE", "invalid cluster size"},
    {999, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

} // namespace

attnc::Result<Library> attnc::cuda::driver::openLibrary() {
  Library library;
  const char *fromEnv = std::getenv(kLibraryEnvVar);
  bool overridden = fromEnv && *fromEnv;
  library.requested = overridden ? fromEnv : "libcuda.so.1";
  // RTLD_LOCAL: the driver's symbols stay out of the global namespace, where
  // they could satisfy some other library's references by accident.
  library.handle = dlopen(library.requested.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library.handle) {
    const char *why = dlerror();
    return Status::error(
        "no CUDA driver: cannot load " + library.requested +
        (overridden ? std::string(" (from $") + kLibraryEnvVar + ")" : "") +
        ": " + (why ? why : "unknown dlopen error") +
        (overridden ? "" : "; is the NVIDIA driver installed?"));
  }

  Api &api = library.api;
  const Symbol symbols[] = {
      {"cuInit", slot(api.cuInit), false},
      {"cuGetErrorName", slot(api.cuGetErrorName), false},
      {"cuGetErrorString", slot(api.cuGetErrorString), false},
      {"cuDeviceGetCount", slot(api.cuDeviceGetCount), false},
      {"cuDeviceGet", slot(api.cuDeviceGet), false},
      {"cuDeviceGetName", slot(api.cuDeviceGetName), false},
      {"cuDeviceGetAttribute", slot(api.cuDeviceGetAttribute), false},
      {"cuDevicePrimaryCtxRetain", slot(api.cuDevicePrimaryCtxRetain), false},
      {"cuDevicePrimaryCtxRelease_v2", slot(api.cuDevicePrimaryCtxRelease),
       false},
      {"cuCtxGetCurrent", slot(api.cuCtxGetCurrent), false},
      {"cuCtxSetCurrent", slot(api.cuCtxSetCurrent), false},
      {"cuCtxSynchronize", slot(api.cuCtxSynchronize), false},
      {"cuModuleLoadData", slot(api.cuModuleLoadData), false},
      {"cuModuleLoadDataEx", slot(api.cuModuleLoadDataEx), false},
      {"cuModuleUnload", slot(api.cuModuleUnload), false},
      {"cuModuleGetFunction", slot(api.cuModuleGetFunction), false},
      {"cuFuncSetAttribute", slot(api.cuFuncSetAttribute), false},
      {"cuLaunchKernel", slot(api.cuLaunchKernel), false},
      {"cuLaunchKernelEx", slot(api.cuLaunchKernelEx), true},
      {"cuStreamCreate", slot(api.cuStreamCreate), false},
      {"cuStreamSynchronize", slot(api.cuStreamSynchronize), false},
      {"cuStreamDestroy_v2", slot(api.cuStreamDestroy), false},
      {"cuStreamWaitEvent", slot(api.cuStreamWaitEvent), false},
      {"cuEventCreate", slot(api.cuEventCreate), false},
      {"cuEventDestroy_v2", slot(api.cuEventDestroy), false},
      {"cuEventRecord", slot(api.cuEventRecord), false},
      {"cuEventSynchronize", slot(api.cuEventSynchronize), false},
      {"cuMemAlloc_v2", slot(api.cuMemAlloc), false},
      {"cuMemAllocManaged", slot(api.cuMemAllocManaged), false},
      {"cuMemFree_v2", slot(api.cuMemFree), false},
      {"cuMemcpyHtoD_v2", slot(api.cuMemcpyHtoD), false},
      {"cuMemcpyDtoH_v2", slot(api.cuMemcpyDtoH), false},
      {"cuMemcpyAsync", slot(api.cuMemcpyAsync), false},
      {"cuMemsetD16Async", slot(api.cuMemsetD16Async), false},
      {"cuMemsetD32Async", slot(api.cuMemsetD32Async), false},
      {"cuMemHostRegister_v2", slot(api.cuMemHostRegister), false},
      {"cuMemHostUnregister", slot(api.cuMemHostUnregister), false},
      {"cuTensorMapEncodeTiled", slot(api.cuTensorMapEncodeTiled), true},
  };
  for (const Symbol &symbol : symbols)
    *symbol.slot = dlsym(library.handle, symbol.name);

  Dl_info info;
  library.path = dladdr(*symbols[0].slot, &info) && info.dli_fname
                     ? info.dli_fname
                     : library.requested;
  for (const Symbol &symbol : symbols) {
    if (*symbol.slot || symbol.optional)
      continue;
    std::string message = "no usable CUDA driver: " + library.path +
                          " does not export " + symbol.name;
    closeLibrary(library);
    return Status::error(message);
  }
  return library;
}

void attnc::cuda::driver::closeLibrary(Library &library) {
  if (library.handle)
    dlclose(library.handle);
  library.handle = nullptr;
  library.api = Api{};
}

std::string attnc::cuda::driver::describe(const Api &api, Result result) {
  const char *name = nullptr;
  const char *description = nullptr;
  if (api.cuGetErrorName && api.cuGetErrorName(result, &name) != Success)
    name = nullptr;
  if (api.cuGetErrorString &&
      api.cuGetErrorString(result, &description) != Success)
    description = nullptr;
  for (const KnownResult &known : kKnownResults) {
    if (known.value != result)
      continue;
    if (!name)
      name = known.name;
    if (!description)
      description = known.description;
  }
  std::string text = name ? name : "CUresult " + std::to_string(result);
  if (description)
    text += std::string(" (") + description + ")";
  return text;
}
