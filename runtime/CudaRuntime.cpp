//===- CudaRuntime.cpp - The CUDA device, its sticky error and mgpu* calls ===//

#include "runtime/CudaRuntime.h"

#include "runtime/CudaDriver.h"


#include <algorithm>
#include <array>
#include <atomic>
#include <iterator>
#include <map>
#include <mutex>
#include <vector>

using namespace attnc::cuda;
using attnc::concat;
using attnc::Status;
using namespace attnc::cuda::driver;

namespace {

/// Dynamic shared memory a kernel may use without opting in.
constexpr int32_t kDefaultSharedBytes = 48 * 1024;

/// The process's device, and the first failure of an mgpu* call.
struct Runtime {
  /// Guards the device state below (not `ready`, not the error).
  std::mutex mutex;
  Library library;
  /// cuInit succeeded on `library`: it may have started threads that run
  /// its code, so it is never closed.
  bool driverInitialized = false;
  /// Libraries replaced by resetForTesting after their cuInit succeeded.
  std::vector<Library> retired;
  /// Why the device cannot be used; repeated by every ensureDevice() until
  /// resetForTesting (or a different mgpuSetDefaultDevice).
  std::string initFailure;
  int ordinal = 0;
  Device device = 0;
  Context context = nullptr;
  std::string name;
  int capability = 0;
  int maxSharedBytes = kDefaultSharedBytes;
  /// Device copies of TMA descriptors, by content.
  std::map<std::array<uint64_t, 16>, DevicePtr> tensorMaps;
  /// Set once the device and context are usable; then `library.api` and
  /// `context` stay fixed (until resetForTesting).
  std::atomic<bool> ready{false};

  /// Guards `error`; taken after `mutex` when both are needed.
  std::mutex errorMutex;
  std::atomic<bool> errorPending{false};
  std::string error;
};

/// Never destroyed: compiled code unloads its modules from global
/// destructors, which may run after this file's own would.
Runtime &runtime() {
  static Runtime *instance = new Runtime;
  return *instance;
}

/// Makes `failure` the pending error unless one is pending already (the
/// first failure is the cause; later ones are usually its consequences).
void recordError(std::string failure) {
  Runtime &rt = runtime();
  std::lock_guard<std::mutex> lock(rt.errorMutex);
  if (rt.errorPending.load(std::memory_order_relaxed))
    return;
  rt.error = std::move(failure);
  rt.errorPending.store(true, std::memory_order_release);
}

/// "DRIVERCALL failed: CUDA_ERROR_... (...)".
std::string failed(const Api &api, std::string_view driverCall,
                   Result result) {
  return concat(driverCall, " failed: ", describe(api, result));
}

/// Records a failed driver call of the mgpu* function `call`; true if
/// `result` is success.
bool check(const Api &api, const char *call, std::string_view driverCall,
           Result result) {
  if (result == Success)
    return true;
  recordError(std::string(call) + ": " + failed(api, driverCall, result));
  return false;
}

/// Like check, for calls that release a handle: a driver that is already
/// shutting down (their global destructors run at exit) is not a failure.
void checkRelease(const Api &api, const char *call, std::string_view driverCall,
                  Result result) {
  if (result != ErrorDeinitialized)
    check(api, call, driverCall, result);
}

/// Makes the device's context current on this thread if it is not already
/// (compiled code may run on any thread).
Result bindContext(const Runtime &rt) {
  Context current = nullptr;
  if (rt.library.api.cuCtxGetCurrent(&current) == Success &&
      current == rt.context)
    return Success;
  return rt.library.api.cuCtxSetCurrent(rt.context);
}

/// Opens and initializes the driver and the device; rt.mutex is held.
Status initializeDevice(Runtime &rt) {
  if (!rt.driverInitialized) {
    attnc::Result<Library> library = openLibrary();
    if (!library)
      return library.takeError();
    rt.library = std::move(*library);
    driver::Result result = rt.library.api.cuInit(0);
    if (result != Success) {
      std::string message;
      if (result == ErrorStubLibrary)
        message = "no CUDA driver: " + rt.library.path +
                  " is the CUDA toolkit's stub library, not a driver "
                  "(cuInit returned CUDA_ERROR_STUB_LIBRARY); install the "
                  "NVIDIA driver, or take the toolkit's stubs directory "
                  "out of the library search path";
      else if (result == ErrorNoDevice)
        message = "no CUDA device: cuInit returned " +
                  describe(rt.library.api, result);
      else
        message = "CUDA initialization failed: " +
                  failed(rt.library.api, "cuInit", result);
      // Nothing of the library runs after a failed cuInit, so it can go
      // (and a stub must: its soname is libcuda.so.1).
      closeLibrary(rt.library);
      return Status::error(message);
    }
    rt.driverInitialized = true;
  }

  const Api &api = rt.library.api;
  auto failure = [&](std::string_view driverCall, Result result) {
    return Status::error("CUDA initialization failed: " +
                                   failed(api, driverCall, result));
  };
  int count = 0;
  if (driver::Result result = api.cuDeviceGetCount(&count))
    return result == ErrorNoDevice
               ? Status::error("no CUDA device: cuDeviceGetCount "
                                         "returned " +
                                         describe(api, result))
               : failure("cuDeviceGetCount", result);
  if (count == 0)
    return Status::error("no CUDA device: the driver (" +
                                   rt.library.path + ") reports no devices");
  if (rt.ordinal >= count)
    return Status::error(
        concat("no CUDA device ", rt.ordinal, ": the driver reports ", count, " device(s)"));
  if (driver::Result result = api.cuDeviceGet(&rt.device, rt.ordinal))
    return failure("cuDeviceGet", result);
  if (driver::Result result = api.cuDevicePrimaryCtxRetain(&rt.context, rt.device))
    return failure("cuDevicePrimaryCtxRetain", result);

  char name[256] = {};
  int major = 0, minor = 0, maxShared = 0;
  driver::Result result = api.cuDeviceGetName(name, sizeof(name) - 1, rt.device);
  if (result == Success)
    result = api.cuDeviceGetAttribute(&major, AttrComputeCapabilityMajor,
                                      rt.device);
  if (result == Success)
    result = api.cuDeviceGetAttribute(&minor, AttrComputeCapabilityMinor,
                                      rt.device);
  if (result == Success)
    result = api.cuDeviceGetAttribute(
        &maxShared, AttrMaxSharedMemoryPerBlockOptin, rt.device);
  if (result != Success) {
    api.cuDevicePrimaryCtxRelease(rt.device);
    rt.context = nullptr;
    return failure("cuDeviceGetAttribute", result);
  }
  rt.name = name;
  rt.capability = major * 10 + minor;
  rt.maxSharedBytes = std::max(maxShared, kDefaultSharedBytes);
  rt.ready.store(true, std::memory_order_release);
  return Status();
}

/// The driver with the device ready and its context current on this
/// thread, for an mgpu* call that does work; null (after recording why,
/// naming `call`) when it cannot run or an earlier failure is pending.
const Api *enter(const char *call) {
  Runtime &rt = runtime();
  if (rt.errorPending.load(std::memory_order_acquire))
    return nullptr;
  if (!rt.ready.load(std::memory_order_acquire)) {
    if (Status e = ensureDevice()) {
      recordError(std::string(call) + ": " + e.message());
      return nullptr;
    }
    return &rt.library.api;
  }
  if (!check(rt.library.api, call, "cuCtxSetCurrent", bindContext(rt)))
    return nullptr;
  return &rt.library.api;
}

/// The driver for an mgpu* call that releases a handle: such calls run even
/// while a failure is pending, so that a failed run does not leak; null if
/// there was never a device (then there is no handle to release either).
const Api *enterRelease(const char *call) {
  Runtime &rt = runtime();
  if (!rt.ready.load(std::memory_order_acquire))
    return nullptr;
  const Api &api = rt.library.api;
  driver::Result result = bindContext(rt);
  if (result != Success) {
    checkRelease(api, call, "cuCtxSetCurrent", result);
    return nullptr;
  }
  return &api;
}

DevicePtr devicePtr(const void *ptr) {
  return reinterpret_cast<DevicePtr>(ptr);
}

/// A launch extent as the driver's unsigned; false (after recording which
/// extent is wrong) if it does not fit.
bool narrowExtent(const char *call, const char *what, intptr_t value,
                  unsigned &out) {
  if (value < 0 || static_cast<uint64_t>(value) > UINT32_MAX) {
    recordError(concat(call, ": ", what, " ", static_cast<int64_t>(value), " is out of range"));
    return false;
  }
  out = static_cast<unsigned>(value);
  return true;
}

/// Checks a launch's grid and block and lets `function` use `sharedBytes`
/// of dynamic shared memory. Sets `empty` (and launches nothing) when an
/// extent is 0; false after recording a failure.
bool prepareLaunch(const Api &api, const char *call, void *function,
                   const intptr_t (&extents)[6], unsigned (&dims)[6],
                   int32_t sharedBytes, bool &empty) {
  static const char *const names[6] = {"grid x", "grid y", "grid z",
                                       "block x", "block y", "block z"};
  empty = false;
  for (int i = 0; i < 6; ++i) {
    if (!narrowExtent(call, names[i], extents[i], dims[i]))
      return false;
    empty |= dims[i] == 0;
  }
  if (sharedBytes < 0) {
    recordError(concat(call, ": negative dynamic shared memory size ", sharedBytes));
    return false;
  }
  if (empty)
    return true;
  // Kernels get 48 KiB of dynamic shared memory unless they opt in to more.
  if (sharedBytes > kDefaultSharedBytes) {
    Runtime &rt = runtime();
    if (sharedBytes > rt.maxSharedBytes) {
      recordError(concat(call, ": the kernel asks for ", sharedBytes, " bytes of dynamic shared memory; ", rt.name, " allows at most ", rt.maxSharedBytes, " per block"));
      return false;
    }
    if (!check(api, call, "cuFuncSetAttribute",
               api.cuFuncSetAttribute(static_cast<Function>(function),
                                      FuncMaxDynamicSharedSizeBytes,
                                      sharedBytes)))
      return false;
  }
  return true;
}

/// The parts of a ranked memref descriptor, as MLIR lays it out: allocated
/// and aligned pointers, offset, sizes[rank], strides[rank].
struct MemRefView {
  char *aligned;
  int64_t offset;
  const int64_t *sizes;
  const int64_t *strides;
};

MemRefView viewMemRef(void *descriptor, int64_t rank) {
  auto *pointers = static_cast<char **>(descriptor);
  auto *fields = reinterpret_cast<const int64_t *>(pointers + 2);
  return {pointers[1], fields[0], fields + 1, fields + 1 + rank};
}

/// The first byte and byte count of a contiguous memref; false (after
/// recording why) if it is not contiguous.
bool contiguousRange(const char *call, int64_t rank, void *descriptor,
                     int64_t elementBytes, char *&start, size_t &bytes) {
  MemRefView view = viewMemRef(descriptor, rank);
  int64_t elements = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (view.sizes[d] != 1 && view.strides[d] != elements) {
      recordError(concat(call, ": only a contiguous memref can be registered; dimension ", d, " has stride ", view.strides[d], ", not ", elements));
      return false;
    }
    elements *= view.sizes[d];
  }
  start = view.aligned + view.offset * elementBytes;
  bytes = static_cast<size_t>(elements * elementBytes);
  return true;
}

/// Bytes per element of each CUtensorMapDataType the lowering can pass
/// (UINT8 .. TFLOAT32_FTZ; the packed sub-byte types that follow are not
/// memref element types).
constexpr unsigned kTensorMapElementBytes[] = {1, 2, 4, 4, 8, 8, 2,
                                               4, 8, 2, 4, 4, 4};

} // namespace

//===----------------------------------------------------------------------===//
// The C++ API
//===----------------------------------------------------------------------===//

Status attnc::cuda::ensureDevice() {
  Runtime &rt = runtime();
  std::lock_guard<std::mutex> lock(rt.mutex);
  if (!rt.ready.load(std::memory_order_acquire)) {
    if (!rt.initFailure.empty())
      return Status::error(rt.initFailure);
    if (Status e = initializeDevice(rt)) {
      rt.initFailure = e.message();
      return Status::error(rt.initFailure);
    }
  }
  if (driver::Result result = bindContext(rt))
    return Status::error(
        "cannot use the CUDA device: " +
        failed(rt.library.api, "cuCtxSetCurrent", result));
  return Status();
}

Status attnc::cuda::takeError() {
  Runtime &rt = runtime();
  std::lock_guard<std::mutex> lock(rt.errorMutex);
  if (!rt.errorPending.load(std::memory_order_relaxed))
    return Status();
  rt.errorPending.store(false, std::memory_order_release);
  return Status::error(std::move(rt.error));
}

std::string attnc::cuda::deviceName() {
  if (Status e = ensureDevice()) {
    (void)std::move(e);
    return "";
  }
  return runtime().name;
}

int attnc::cuda::computeCapability() {
  if (Status e = ensureDevice()) {
    (void)std::move(e);
    return 0;
  }
  return runtime().capability;
}

attnc::Result<void *> attnc::cuda::alloc(size_t bytes) {
  if (bytes == 0)
    return nullptr;
  if (Status e = ensureDevice())
    return e;
  const Api &api = runtime().library.api;
  DevicePtr ptr = 0;
  if (driver::Result result = api.cuMemAlloc(&ptr, bytes))
    return Status::error(
        concat("cannot allocate ", bytes, " bytes on the CUDA device: ", failed(api, "cuMemAlloc", result)));
  return reinterpret_cast<void *>(ptr);
}

Status attnc::cuda::free(void *device) {
  if (!device)
    return Status();
  if (Status e = ensureDevice())
    return e;
  const Api &api = runtime().library.api;
  if (driver::Result result = api.cuMemFree(devicePtr(device)))
    return Status::error("cannot free CUDA device memory: " +
                                   failed(api, "cuMemFree", result));
  return Status();
}

Status attnc::cuda::copyToDevice(void *device, const void *host,
                                      size_t bytes) {
  if (bytes == 0)
    return Status();
  if (Status e = ensureDevice())
    return e;
  const Api &api = runtime().library.api;
  if (driver::Result result = api.cuMemcpyHtoD(devicePtr(device), host, bytes))
    return Status::error(
        concat("cannot copy ", bytes, " bytes to the CUDA device: ", failed(api, "cuMemcpyHtoD", result)));
  return Status();
}

Status attnc::cuda::copyToHost(void *host, const void *device,
                                    size_t bytes) {
  if (bytes == 0)
    return Status();
  if (Status e = ensureDevice())
    return e;
  const Api &api = runtime().library.api;
  if (driver::Result result = api.cuMemcpyDtoH(host, devicePtr(device), bytes))
    return Status::error(
        concat("cannot copy ", bytes, " bytes from the CUDA device: ", failed(api, "cuMemcpyDtoH", result)));
  return Status();
}

Status attnc::cuda::synchronize() {
  if (Status e = ensureDevice())
    return e;
  const Api &api = runtime().library.api;
  if (driver::Result result = api.cuCtxSynchronize())
    return Status::error("CUDA device work failed: " +
                                   failed(api, "cuCtxSynchronize", result));
  return Status();
}

void attnc::cuda::resetForTesting() {
  Runtime &rt = runtime();
  std::lock_guard<std::mutex> lock(rt.mutex);
  if (rt.ready.load(std::memory_order_acquire)) {
    const Api &api = rt.library.api;
    if (bindContext(rt) == Success)
      for (auto &entry : rt.tensorMaps)
        api.cuMemFree(entry.second);
    api.cuCtxSetCurrent(nullptr);
    api.cuDevicePrimaryCtxRelease(rt.device);
  }
  if (rt.driverInitialized)
    rt.retired.push_back(std::move(rt.library));
  else
    closeLibrary(rt.library);
  rt.library = Library();
  rt.driverInitialized = false;
  rt.ready.store(false, std::memory_order_release);
  rt.initFailure.clear();
  rt.ordinal = 0;
  rt.device = 0;
  rt.context = nullptr;
  rt.name.clear();
  rt.capability = 0;
  rt.maxSharedBytes = kDefaultSharedBytes;
  rt.tensorMaps.clear();
  std::lock_guard<std::mutex> errorLock(rt.errorMutex);
  rt.errorPending.store(false, std::memory_order_release);
  rt.error.clear();
}

//===----------------------------------------------------------------------===//
// The mgpu* entry points
//===----------------------------------------------------------------------===//

extern "C" void *mgpuModuleLoad(void *data, size_t /*size*/) {
  const char *call = "mgpuModuleLoad";
  const Api *api = enter(call);
  if (!api)
    return nullptr;
  ModuleHandle module = nullptr;
  if (!check(*api, call, "cuModuleLoadData",
             api->cuModuleLoadData(&module, data)))
    return nullptr;
  return module;
}

extern "C" void *mgpuModuleLoadJIT(void *data, int optLevel) {
  const char *call = "mgpuModuleLoadJIT";
  const Api *api = enter(call);
  if (!api)
    return nullptr;
  char log[8192] = {};
  JitOption options[] = {JitErrorLogBuffer, JitErrorLogBufferSizeBytes,
                         JitOptimizationLevel};
  // The driver reads option values of integer type from the pointer bits.
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1),
                    reinterpret_cast<void *>(static_cast<uintptr_t>(
                        std::clamp(optLevel, 0, 4)))};
  ModuleHandle module = nullptr;
  driver::Result result =
      api->cuModuleLoadDataEx(&module, data, 3, options, values);
  if (result != Success) {
    std::string message =
        std::string(call) + ": " + failed(*api, "cuModuleLoadDataEx", result);
    if (log[0])
      message += std::string("; JIT log:\n") + log;
    recordError(std::move(message));
    return nullptr;
  }
  return module;
}

extern "C" void mgpuModuleUnload(void *module) {
  const char *call = "mgpuModuleUnload";
  if (!module)
    return;
  if (const Api *api = enterRelease(call))
    checkRelease(*api, call, "cuModuleUnload",
                 api->cuModuleUnload(static_cast<ModuleHandle>(module)));
}

extern "C" void *mgpuModuleGetFunction(void *module, const char *name) {
  const char *call = "mgpuModuleGetFunction";
  const Api *api = enter(call);
  if (!api || !module)
    return nullptr;
  Function function = nullptr;
  if (!check(*api, call,
             std::string("cuModuleGetFunction('") + name + "')",
             api->cuModuleGetFunction(
                 &function, static_cast<ModuleHandle>(module), name)))
    return nullptr;
  return function;
}

extern "C" void mgpuLaunchKernel(void *function, intptr_t gridX,
                                 intptr_t gridY, intptr_t gridZ,
                                 intptr_t blockX, intptr_t blockY,
                                 intptr_t blockZ, int32_t sharedBytes,
                                 void *stream, void **params, void **extra,
                                 size_t /*paramCount*/) {
  const char *call = "mgpuLaunchKernel";
  const Api *api = enter(call);
  if (!api || !function)
    return;
  unsigned dims[6];
  bool empty = false;
  if (!prepareLaunch(*api, call, function,
                     {gridX, gridY, gridZ, blockX, blockY, blockZ}, dims,
                     sharedBytes, empty) ||
      empty)
    return;
  check(*api, call, "cuLaunchKernel",
        api->cuLaunchKernel(static_cast<Function>(function), dims[0], dims[1],
                            dims[2], dims[3], dims[4], dims[5],
                            static_cast<unsigned>(sharedBytes),
                            static_cast<Stream>(stream), params, extra));
}

extern "C" void
mgpuLaunchClusterKernel(void *function, intptr_t clusterX, intptr_t clusterY,
                        intptr_t clusterZ, intptr_t gridX, intptr_t gridY,
                        intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                        intptr_t blockZ, int32_t sharedBytes, void *stream,
                        void **params, void **extra) {
  const char *call = "mgpuLaunchClusterKernel";
  const Api *api = enter(call);
  if (!api || !function)
    return;
  if (!api->cuLaunchKernelEx) {
    recordError(std::string(call) + ": the CUDA driver " +
                runtime().library.path +
                " has no cuLaunchKernelEx (cluster launches need CUDA 12)");
    return;
  }
  unsigned dims[6];
  bool empty = false;
  if (!prepareLaunch(*api, call, function,
                     {gridX, gridY, gridZ, blockX, blockY, blockZ}, dims,
                     sharedBytes, empty) ||
      empty)
    return;
  LaunchAttribute cluster{};
  cluster.id = LaunchAttributeClusterDimension;
  if (!narrowExtent(call, "cluster x", clusterX, cluster.value.clusterDim.x) ||
      !narrowExtent(call, "cluster y", clusterY, cluster.value.clusterDim.y) ||
      !narrowExtent(call, "cluster z", clusterZ, cluster.value.clusterDim.z))
    return;
  // Clusters of more than 8 blocks are not portable; sm_90 allows 16 on
  // request.
  uint64_t clusterBlocks = uint64_t(cluster.value.clusterDim.x) *
                           cluster.value.clusterDim.y *
                           cluster.value.clusterDim.z;
  if (clusterBlocks > 8 &&
      !check(*api, call, "cuFuncSetAttribute",
             api->cuFuncSetAttribute(static_cast<Function>(function),
                                     FuncNonPortableClusterSizeAllowed, 1)))
    return;
  LaunchConfig config{};
  config.gridDimX = dims[0];
  config.gridDimY = dims[1];
  config.gridDimZ = dims[2];
  config.blockDimX = dims[3];
  config.blockDimY = dims[4];
  config.blockDimZ = dims[5];
  config.sharedMemBytes = static_cast<unsigned>(sharedBytes);
  config.stream = static_cast<Stream>(stream);
  config.attrs = &cluster;
  config.numAttrs = 1;
  check(*api, call, "cuLaunchKernelEx",
        api->cuLaunchKernelEx(&config, static_cast<Function>(function),
                              params, extra));
}

extern "C" void *mgpuStreamCreate() {
  const char *call = "mgpuStreamCreate";
  const Api *api = enter(call);
  if (!api)
    return nullptr;
  Stream stream = nullptr;
  // Non-blocking: compiled code orders its work with its own streams and
  // events, not through the legacy default stream.
  if (!check(*api, call, "cuStreamCreate",
             api->cuStreamCreate(&stream, StreamNonBlocking)))
    return nullptr;
  return stream;
}

extern "C" void mgpuStreamDestroy(void *stream) {
  const char *call = "mgpuStreamDestroy";
  if (!stream)
    return;
  if (const Api *api = enterRelease(call))
    checkRelease(*api, call, "cuStreamDestroy",
                 api->cuStreamDestroy(static_cast<Stream>(stream)));
}

extern "C" void mgpuStreamSynchronize(void *stream) {
  const char *call = "mgpuStreamSynchronize";
  if (const Api *api = enter(call))
    check(*api, call, "cuStreamSynchronize",
          api->cuStreamSynchronize(static_cast<Stream>(stream)));
}

extern "C" void mgpuStreamWaitEvent(void *stream, void *event) {
  const char *call = "mgpuStreamWaitEvent";
  if (const Api *api = enter(call))
    check(*api, call, "cuStreamWaitEvent",
          api->cuStreamWaitEvent(static_cast<Stream>(stream),
                                 static_cast<Event>(event), 0));
}

extern "C" void *mgpuEventCreate() {
  const char *call = "mgpuEventCreate";
  const Api *api = enter(call);
  if (!api)
    return nullptr;
  Event event = nullptr;
  // Events only order streams; timing them would cost for nothing.
  if (!check(*api, call, "cuEventCreate",
             api->cuEventCreate(&event, EventDisableTiming)))
    return nullptr;
  return event;
}

extern "C" void mgpuEventDestroy(void *event) {
  const char *call = "mgpuEventDestroy";
  if (!event)
    return;
  if (const Api *api = enterRelease(call))
    checkRelease(*api, call, "cuEventDestroy",
                 api->cuEventDestroy(static_cast<Event>(event)));
}

extern "C" void mgpuEventSynchronize(void *event) {
  const char *call = "mgpuEventSynchronize";
  if (const Api *api = enter(call))
    check(*api, call, "cuEventSynchronize",
          api->cuEventSynchronize(static_cast<Event>(event)));
}

extern "C" void mgpuEventRecord(void *event, void *stream) {
  const char *call = "mgpuEventRecord";
  if (const Api *api = enter(call))
    check(*api, call, "cuEventRecord",
          api->cuEventRecord(static_cast<Event>(event),
                             static_cast<Stream>(stream)));
}

extern "C" void *mgpuMemAlloc(uint64_t bytes, void * /*stream*/,
                              uint32_t hostShared) {
  const char *call = "mgpuMemAlloc";
  if (bytes == 0)
    return nullptr;
  const Api *api = enter(call);
  if (!api)
    return nullptr;
  DevicePtr ptr = 0;
  driver::Result result = (hostShared & 0xff)
                      ? api->cuMemAllocManaged(&ptr, bytes, MemAttachGlobal)
                      : api->cuMemAlloc(&ptr, bytes);
  if (!check(*api, call,
             concat((hostShared & 0xff) ? "cuMemAllocManaged"
                                               : "cuMemAlloc", "(", bytes, " bytes)"),
             result))
    return nullptr;
  return reinterpret_cast<void *>(ptr);
}

extern "C" void mgpuMemFree(void *ptr, void * /*stream*/) {
  const char *call = "mgpuMemFree";
  if (!ptr)
    return;
  if (const Api *api = enterRelease(call))
    checkRelease(*api, call, "cuMemFree", api->cuMemFree(devicePtr(ptr)));
}

extern "C" void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream) {
  const char *call = "mgpuMemcpy";
  if (bytes == 0)
    return;
  if (const Api *api = enter(call))
    check(*api, call, "cuMemcpyAsync",
          api->cuMemcpyAsync(devicePtr(dst), devicePtr(src), bytes,
                             static_cast<Stream>(stream)));
}

extern "C" void mgpuMemset16(void *dst, uint32_t value, size_t count,
                             void *stream) {
  const char *call = "mgpuMemset16";
  if (count == 0)
    return;
  if (const Api *api = enter(call))
    check(*api, call, "cuMemsetD16Async",
          api->cuMemsetD16Async(devicePtr(dst),
                                static_cast<unsigned short>(value & 0xffff),
                                count, static_cast<Stream>(stream)));
}

extern "C" void mgpuMemset32(void *dst, uint32_t value, size_t count,
                             void *stream) {
  const char *call = "mgpuMemset32";
  if (count == 0)
    return;
  if (const Api *api = enter(call))
    check(*api, call, "cuMemsetD32Async",
          api->cuMemsetD32Async(devicePtr(dst), value, count,
                                static_cast<Stream>(stream)));
}

extern "C" void mgpuSetDefaultDevice(int32_t device) {
  Runtime &rt = runtime();
  std::lock_guard<std::mutex> lock(rt.mutex);
  if (device < 0) {
    recordError(concat("mgpuSetDefaultDevice: invalid device ", device));
    return;
  }
  if (rt.ready.load(std::memory_order_acquire)) {
    if (device != rt.ordinal)
      recordError(concat("mgpuSetDefaultDevice: cannot switch to device ", device, ": device ", rt.ordinal, " is in use (the runtime drives one device per process)"));
    return;
  }
  if (device != rt.ordinal)
    rt.initFailure.clear();
  rt.ordinal = device;
}

extern "C" void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                                          int64_t elementBytes) {
  const char *call = "mgpuMemHostRegisterMemRef";
  char *start = nullptr;
  size_t bytes = 0;
  const Api *api = enter(call);
  if (!api ||
      !contiguousRange(call, rank, descriptor, elementBytes, start, bytes) ||
      bytes == 0)
    return;
  check(*api, call, "cuMemHostRegister",
        api->cuMemHostRegister(start, bytes, 0));
}

extern "C" void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                            int64_t elementBytes) {
  const char *call = "mgpuMemHostUnregisterMemRef";
  char *start = nullptr;
  size_t bytes = 0;
  const Api *api = enterRelease(call);
  if (!api ||
      !contiguousRange(call, rank, descriptor, elementBytes, start, bytes) ||
      bytes == 0)
    return;
  checkRelease(*api, call, "cuMemHostUnregister",
               api->cuMemHostUnregister(start));
}

extern "C" void *
mgpuTensorMapEncodeTiledMemref(int64_t rank, void *descriptor,
                               int64_t dataType, int64_t interleave,
                               int64_t swizzle, int64_t l2Promotion,
                               int64_t oobFill, int64_t *boxDims) {
  const char *call = "mgpuTensorMapEncodeTiledMemref";
  const Api *api = enter(call);
  if (!api)
    return nullptr;
  Runtime &rt = runtime();
  if (!api->cuTensorMapEncodeTiled) {
    recordError(std::string(call) + ": the CUDA driver " + rt.library.path +
                " has no cuTensorMapEncodeTiled (TMA needs CUDA 12)");
    return nullptr;
  }
  if (rank < 1 || rank > 5) {
    recordError(concat(call, ": a TMA descriptor has rank 1 to 5, not ", rank));
    return nullptr;
  }
  if (dataType < 0 ||
      dataType >= static_cast<int64_t>(std::size(kTensorMapElementBytes))) {
    recordError(
        concat(call, ": unsupported element type ", dataType));
    return nullptr;
  }
  MemRefView view = viewMemRef(descriptor, rank);
  uint64_t elementBytes = kTensorMapElementBytes[dataType];
  if (view.strides[rank - 1] != 1) {
    recordError(concat(call, ": the innermost dimension must be contiguous, but its stride is ", view.strides[rank - 1]));
    return nullptr;
  }
  // The driver orders dimensions innermost first and takes the byte strides
  // of all dimensions but the innermost; the memref is outermost first.
  uint64_t globalDim[5] = {}, globalStrides[4] = {};
  uint32_t box[5] = {}, elementStrides[5] = {};
  for (int64_t r = 0; r < rank; ++r) {
    int64_t d = rank - 1 - r;
    globalDim[r] = static_cast<uint64_t>(view.sizes[d]);
    box[r] = static_cast<uint32_t>(boxDims[d]);
    elementStrides[r] = 1;
    if (r > 0)
      globalStrides[r - 1] = static_cast<uint64_t>(view.strides[d]) *
                             elementBytes;
  }
  TensorMap map{};
  if (!check(*api, call, "cuTensorMapEncodeTiled",
             api->cuTensorMapEncodeTiled(
                 &map, static_cast<int>(dataType), static_cast<uint32_t>(rank),
                 view.aligned + view.offset * elementBytes, globalDim,
                 globalStrides, box, elementStrides,
                 static_cast<int>(interleave), static_cast<int>(swizzle),
                 static_cast<int>(l2Promotion), static_cast<int>(oobFill))))
    return nullptr;

  // The lowering creates a descriptor on every call of the host function
  // and never frees it: identical ones share a device copy instead.
  std::array<uint64_t, 16> key;
  std::copy(std::begin(map.opaque), std::end(map.opaque), key.begin());
  std::lock_guard<std::mutex> lock(rt.mutex);
  auto found = rt.tensorMaps.find(key);
  if (found != rt.tensorMaps.end())
    return reinterpret_cast<void *>(found->second);
  DevicePtr copy = 0;
  if (!check(*api, call, "cuMemAlloc",
             api->cuMemAlloc(&copy, sizeof(TensorMap))))
    return nullptr;
  if (!check(*api, call, "cuMemcpyHtoD",
             api->cuMemcpyHtoD(copy, &map, sizeof(TensorMap)))) {
    api->cuMemFree(copy);
    return nullptr;
  }
  rt.tensorMaps.emplace(key, copy);
  return reinterpret_cast<void *>(copy);
}
