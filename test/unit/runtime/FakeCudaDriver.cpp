//===- FakeCudaDriver.cpp - A libcuda stand-in for the CUDA runtime tests -===//
//
// Exports the driver entry points runtime/CudaDriver.cpp looks up, with the
// driver's checks that matter to the runtime: calls that need a context
// fail with CUDA_ERROR_INVALID_CONTEXT unless the device's primary context
// is current on the calling thread, and handles are validated. See
// FakeCudaDriver.h.
//
//===----------------------------------------------------------------------===//

#include "test/unit/runtime/FakeCudaDriver.h"

#include "runtime/CudaDriver.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>

using namespace attnc::cuda::driver;

namespace {

constexpr Result kInvalidContext = 201;
constexpr Result kInvalidImage = 200;
constexpr Result kInvalidPtx = 218;
constexpr Result kInvalidHandle = 400;
constexpr Result kNotInitialized = 3;
constexpr Result kHostMemoryAlreadyRegistered = 712;
constexpr Result kHostMemoryNotRegistered = 713;

struct FakeModule {
  std::set<std::string> entries;
};

struct FakeFunction {
  std::string name;
  int maxDynamicSharedBytes = 0;
  int nonPortableClusterSize = 0;
};

struct State {
  std::mutex mutex;
  int deviceCount = 1;
  Result initResult = Success;
  bool initialized = false;
  std::map<std::string, Result> failures;
  std::map<void *, bool> allocations; // pointer -> managed
  std::set<void *> streams, events;
  std::map<void *, FakeModule *> modules;
  std::set<void *> functions;
  std::map<void *, size_t> registered;
  FakeCudaLaunch lastLaunch{};
  FakeCudaTensorMap lastTensorMap{};
  FakeCudaCounters counters{};
};

State &state() {
  static State *instance = new State;
  return *instance;
}

/// The primary context: one per process, like the driver's for device 0.
int primaryContextStorage;
Context primaryContext() {
  return reinterpret_cast<Context>(&primaryContextStorage);
}
thread_local Context currentContext = nullptr;

/// The injected failure of `name`, if any (consumed).
bool injected(State &s, const char *name, Result &result) {
  auto found = s.failures.find(name);
  if (found == s.failures.end())
    return false;
  result = found->second;
  s.failures.erase(found);
  return true;
}

/// Starts a call: the injected failure, CUDA_ERROR_NOT_INITIALIZED before
/// cuInit, CUDA_ERROR_INVALID_CONTEXT without the context when
/// `needsContext`; else Success.
Result begin(State &s, const char *name, bool needsContext) {
  Result result;
  if (injected(s, name, result))
    return result;
  if (!s.initialized)
    return kNotInitialized;
  if (needsContext && (currentContext != primaryContext() ||
                       s.counters.contextRefs == 0))
    return kInvalidContext;
  return Success;
}

#define FAKE_BEGIN(name, needsContext)                                         \
  State &s = state();                                                          \
  std::lock_guard<std::mutex> lock(s.mutex);                                   \
  if (Result early = begin(s, name, needsContext))                             \
  return early

/// Loads PTX text: a `.version` line, and `.entry NAME(` per kernel.
Result loadPtx(State &s, ModuleHandle *module, const void *image) {
  const char *text = static_cast<const char *>(image);
  if (!text || !std::strstr(text, ".version"))
    return kInvalidImage;
  if (std::strstr(text, "SYNTAX ERROR"))
    return kInvalidPtx;
  auto *loaded = new FakeModule;
  for (const char *at = std::strstr(text, ".entry "); at;
       at = std::strstr(at + 1, ".entry ")) {
    const char *name = at + 7;
    size_t length = std::strcspn(name, "( \n");
    loaded->entries.insert(std::string(name, length));
  }
  *module = reinterpret_cast<ModuleHandle>(loaded);
  s.modules[loaded] = loaded;
  s.counters.liveModules = static_cast<int>(s.modules.size());
  return Success;
}

Result recordLaunch(State &s, Function function, const unsigned (&grid)[3],
                    const unsigned (&block)[3], const unsigned (&cluster)[3],
                    unsigned sharedBytes, Stream stream, void **params) {
  if (!s.functions.count(function))
    return kInvalidHandle;
  if (stream && !s.streams.count(stream))
    return kInvalidHandle;
  for (int i = 0; i < 3; ++i)
    if (grid[i] == 0 || block[i] == 0)
      return ErrorInvalidValue;
  auto *fn = reinterpret_cast<FakeFunction *>(function);
  if (sharedBytes > 48 * 1024 &&
      sharedBytes > static_cast<unsigned>(fn->maxDynamicSharedBytes))
    return ErrorInvalidValue;
  FakeCudaLaunch &launch = s.lastLaunch;
  launch = FakeCudaLaunch{};
  std::strncpy(launch.kernel, fn->name.c_str(), sizeof(launch.kernel) - 1);
  for (int i = 0; i < 3; ++i) {
    launch.grid[i] = grid[i];
    launch.block[i] = block[i];
    launch.cluster[i] = cluster[i];
  }
  launch.sharedBytes = sharedBytes;
  launch.stream = stream;
  launch.params = params;
  launch.maxDynamicSharedBytes = fn->maxDynamicSharedBytes;
  launch.nonPortableClusterSize = fn->nonPortableClusterSize;
  ++s.counters.launches;
  return Success;
}

const char *knownName(Result result) {
  switch (result) {
  case Success:
    return "CUDA_SUCCESS";
  case ErrorInvalidValue:
    return "CUDA_ERROR_INVALID_VALUE";
  case 2:
    return "CUDA_ERROR_OUT_OF_MEMORY";
  case kInvalidContext:
    return "CUDA_ERROR_INVALID_CONTEXT";
  case ErrorNotFound:
    return "CUDA_ERROR_NOT_FOUND";
  default:
    return nullptr; // Like an old driver: the runtime names the rest.
  }
}

} // namespace

extern "C" {

//===----------------------------------------------------------------------===//
// Steering (FakeCudaDriver.h)
//===----------------------------------------------------------------------===//

void fakeCudaReset(int deviceCount, int initResult) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  for (auto &allocation : s.allocations)
    std::free(allocation.first);
  for (auto &module : s.modules)
    delete module.second;
  for (void *function : s.functions)
    delete static_cast<FakeFunction *>(function);
  for (void *handle : s.streams)
    delete static_cast<char *>(handle);
  for (void *handle : s.events)
    delete static_cast<char *>(handle);
  s.allocations.clear();
  s.streams.clear();
  s.events.clear();
  s.modules.clear();
  s.functions.clear();
  s.registered.clear();
  s.failures.clear();
  s.deviceCount = deviceCount;
  s.initResult = initResult;
  s.initialized = false;
  s.lastLaunch = FakeCudaLaunch{};
  s.lastTensorMap = FakeCudaTensorMap{};
  s.counters = FakeCudaCounters{};
  s.counters.lastDeviceOrdinal = -1;
  s.counters.lastJitOptLevel = -1;
  currentContext = nullptr;
}

void fakeCudaFailNext(const char *name, int result) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.failures[name] = result;
}

const FakeCudaLaunch *fakeCudaLastLaunch() { return &state().lastLaunch; }

const FakeCudaTensorMap *fakeCudaLastTensorMap() {
  return &state().lastTensorMap;
}

const FakeCudaCounters *fakeCudaCounters() { return &state().counters; }

//===----------------------------------------------------------------------===//
// The driver API
//===----------------------------------------------------------------------===//

Result cuInit(unsigned flags) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  Result result;
  if (injected(s, "cuInit", result))
    return result;
  if (flags != 0)
    return ErrorInvalidValue;
  if (s.initResult != Success)
    return s.initResult;
  s.initialized = true;
  return Success;
}

Result cuGetErrorName(Result result, const char **name) {
  *name = knownName(result);
  return *name ? Success : ErrorInvalidValue;
}

Result cuGetErrorString(Result result, const char **text) {
  *text = result == 2 ? "out of memory (fake)" : nullptr;
  return *text ? Success : ErrorInvalidValue;
}

Result cuDeviceGetCount(int *count) {
  FAKE_BEGIN("cuDeviceGetCount", false);
  *count = s.deviceCount;
  return Success;
}

Result cuDeviceGet(Device *device, int ordinal) {
  FAKE_BEGIN("cuDeviceGet", false);
  if (ordinal < 0 || ordinal >= s.deviceCount)
    return 101;
  *device = ordinal;
  s.counters.lastDeviceOrdinal = ordinal;
  return Success;
}

Result cuDeviceGetName(char *name, int length, Device) {
  FAKE_BEGIN("cuDeviceGetName", false);
  std::strncpy(name, "Fake CUDA Device", static_cast<size_t>(length));
  return Success;
}

Result cuDeviceGetAttribute(int *value, int attribute, Device) {
  FAKE_BEGIN("cuDeviceGetAttribute", false);
  switch (attribute) {
  case AttrComputeCapabilityMajor:
    *value = 9;
    return Success;
  case AttrComputeCapabilityMinor:
    *value = 0;
    return Success;
  case AttrMaxSharedMemoryPerBlockOptin:
    *value = 232448;
    return Success;
  default:
    return ErrorInvalidValue;
  }
}

Result cuDevicePrimaryCtxRetain(Context *context, Device device) {
  FAKE_BEGIN("cuDevicePrimaryCtxRetain", false);
  if (device < 0 || device >= s.deviceCount)
    return 101;
  *context = primaryContext();
  ++s.counters.contextRefs;
  return Success;
}

Result cuDevicePrimaryCtxRelease_v2(Device) {
  FAKE_BEGIN("cuDevicePrimaryCtxRelease_v2", false);
  if (s.counters.contextRefs == 0)
    return kInvalidContext;
  --s.counters.contextRefs;
  return Success;
}

Result cuCtxGetCurrent(Context *context) {
  FAKE_BEGIN("cuCtxGetCurrent", false);
  *context = currentContext;
  return Success;
}

Result cuCtxSetCurrent(Context context) {
  FAKE_BEGIN("cuCtxSetCurrent", false);
  if (context && context != primaryContext())
    return kInvalidContext;
  currentContext = context;
  return Success;
}

Result cuCtxSynchronize() {
  FAKE_BEGIN("cuCtxSynchronize", true);
  return Success;
}

Result cuModuleLoadData(ModuleHandle *module, const void *image) {
  FAKE_BEGIN("cuModuleLoadData", true);
  return loadPtx(s, module, image);
}

Result cuModuleLoadDataEx(ModuleHandle *module, const void *image,
                          unsigned numOptions, JitOption *options,
                          void **values) {
  FAKE_BEGIN("cuModuleLoadDataEx", true);
  char *log = nullptr;
  size_t logSize = 0;
  for (unsigned i = 0; i < numOptions; ++i) {
    auto value = reinterpret_cast<uintptr_t>(values[i]);
    if (options[i] == JitErrorLogBuffer)
      log = static_cast<char *>(values[i]);
    else if (options[i] == JitErrorLogBufferSizeBytes)
      logSize = value;
    else if (options[i] == JitOptimizationLevel)
      s.counters.lastJitOptLevel = static_cast<int>(value);
  }
  Result result = loadPtx(s, module, image);
  if (result == kInvalidPtx && log && logSize > 0)
    std::strncpy(log, "ptxas fatal: fake syntax error", logSize);
  return result;
}

Result cuModuleUnload(ModuleHandle module) {
  FAKE_BEGIN("cuModuleUnload", true);
  auto found = s.modules.find(module);
  if (found == s.modules.end())
    return kInvalidHandle;
  delete found->second;
  s.modules.erase(found);
  s.counters.liveModules = static_cast<int>(s.modules.size());
  return Success;
}

Result cuModuleGetFunction(Function *function, ModuleHandle module,
                           const char *name) {
  FAKE_BEGIN("cuModuleGetFunction", true);
  auto found = s.modules.find(module);
  if (found == s.modules.end())
    return kInvalidHandle;
  if (!found->second->entries.count(name))
    return ErrorNotFound;
  auto *fn = new FakeFunction;
  fn->name = name;
  s.functions.insert(fn);
  *function = reinterpret_cast<Function>(fn);
  return Success;
}

Result cuFuncSetAttribute(Function function, int attribute, int value) {
  FAKE_BEGIN("cuFuncSetAttribute", true);
  if (!s.functions.count(function))
    return kInvalidHandle;
  auto *fn = reinterpret_cast<FakeFunction *>(function);
  if (attribute == FuncMaxDynamicSharedSizeBytes)
    fn->maxDynamicSharedBytes = value;
  else if (attribute == FuncNonPortableClusterSizeAllowed)
    fn->nonPortableClusterSize = value;
  else
    return ErrorInvalidValue;
  return Success;
}

Result cuLaunchKernel(Function function, unsigned gridX, unsigned gridY,
                      unsigned gridZ, unsigned blockX, unsigned blockY,
                      unsigned blockZ, unsigned sharedBytes, Stream stream,
                      void **params, void **) {
  FAKE_BEGIN("cuLaunchKernel", true);
  return recordLaunch(s, function, {gridX, gridY, gridZ},
                      {blockX, blockY, blockZ}, {1, 1, 1}, sharedBytes,
                      stream, params);
}

Result cuLaunchKernelEx(const LaunchConfig *config, Function function,
                        void **params, void **) {
  FAKE_BEGIN("cuLaunchKernelEx", true);
  unsigned cluster[3] = {1, 1, 1};
  for (unsigned i = 0; i < config->numAttrs; ++i) {
    const LaunchAttribute &attribute = config->attrs[i];
    if (attribute.id != LaunchAttributeClusterDimension)
      return ErrorInvalidValue;
    cluster[0] = attribute.value.clusterDim.x;
    cluster[1] = attribute.value.clusterDim.y;
    cluster[2] = attribute.value.clusterDim.z;
  }
  return recordLaunch(s, function,
                      {config->gridDimX, config->gridDimY, config->gridDimZ},
                      {config->blockDimX, config->blockDimY,
                       config->blockDimZ},
                      cluster, config->sharedMemBytes, config->stream,
                      params);
}

Result cuStreamCreate(Stream *stream, unsigned flags) {
  FAKE_BEGIN("cuStreamCreate", true);
  if (flags != StreamNonBlocking)
    return ErrorInvalidValue;
  *stream = reinterpret_cast<Stream>(new char);
  s.streams.insert(*stream);
  s.counters.liveStreams = static_cast<int>(s.streams.size());
  return Success;
}

Result cuStreamSynchronize(Stream stream) {
  FAKE_BEGIN("cuStreamSynchronize", true);
  return !stream || s.streams.count(stream) ? Success : kInvalidHandle;
}

Result cuStreamDestroy_v2(Stream stream) {
  FAKE_BEGIN("cuStreamDestroy_v2", true);
  if (!s.streams.erase(stream))
    return kInvalidHandle;
  delete reinterpret_cast<char *>(stream);
  s.counters.liveStreams = static_cast<int>(s.streams.size());
  return Success;
}

Result cuStreamWaitEvent(Stream stream, Event event, unsigned) {
  FAKE_BEGIN("cuStreamWaitEvent", true);
  return (!stream || s.streams.count(stream)) && s.events.count(event)
             ? Success
             : kInvalidHandle;
}

Result cuEventCreate(Event *event, unsigned flags) {
  FAKE_BEGIN("cuEventCreate", true);
  if (flags != EventDisableTiming)
    return ErrorInvalidValue;
  *event = reinterpret_cast<Event>(new char);
  s.events.insert(*event);
  s.counters.liveEvents = static_cast<int>(s.events.size());
  return Success;
}

Result cuEventDestroy_v2(Event event) {
  FAKE_BEGIN("cuEventDestroy_v2", true);
  if (!s.events.erase(event))
    return kInvalidHandle;
  delete reinterpret_cast<char *>(event);
  s.counters.liveEvents = static_cast<int>(s.events.size());
  return Success;
}

Result cuEventRecord(Event event, Stream stream) {
  FAKE_BEGIN("cuEventRecord", true);
  return s.events.count(event) && (!stream || s.streams.count(stream))
             ? Success
             : kInvalidHandle;
}

Result cuEventSynchronize(Event event) {
  FAKE_BEGIN("cuEventSynchronize", true);
  return s.events.count(event) ? Success : kInvalidHandle;
}

static Result allocate(State &s, DevicePtr *ptr, size_t bytes, bool managed) {
  if (bytes == 0)
    return ErrorInvalidValue;
  void *memory = std::malloc(bytes);
  s.allocations[memory] = managed;
  *ptr = reinterpret_cast<DevicePtr>(memory);
  ++s.counters.liveAllocations;
  if (managed)
    ++s.counters.liveManagedAllocations;
  return Success;
}

Result cuMemAlloc_v2(DevicePtr *ptr, size_t bytes) {
  FAKE_BEGIN("cuMemAlloc_v2", true);
  return allocate(s, ptr, bytes, false);
}

Result cuMemAllocManaged(DevicePtr *ptr, size_t bytes, unsigned flags) {
  FAKE_BEGIN("cuMemAllocManaged", true);
  if (flags != MemAttachGlobal)
    return ErrorInvalidValue;
  return allocate(s, ptr, bytes, true);
}

Result cuMemFree_v2(DevicePtr ptr) {
  FAKE_BEGIN("cuMemFree_v2", true);
  auto found = s.allocations.find(reinterpret_cast<void *>(ptr));
  if (found == s.allocations.end())
    return ErrorInvalidValue;
  --s.counters.liveAllocations;
  if (found->second)
    --s.counters.liveManagedAllocations;
  std::free(found->first);
  s.allocations.erase(found);
  return Success;
}

Result cuMemcpyHtoD_v2(DevicePtr dst, const void *src, size_t bytes) {
  FAKE_BEGIN("cuMemcpyHtoD_v2", true);
  std::memcpy(reinterpret_cast<void *>(dst), src, bytes);
  return Success;
}

Result cuMemcpyDtoH_v2(void *dst, DevicePtr src, size_t bytes) {
  FAKE_BEGIN("cuMemcpyDtoH_v2", true);
  std::memcpy(dst, reinterpret_cast<const void *>(src), bytes);
  return Success;
}

Result cuMemcpyAsync(DevicePtr dst, DevicePtr src, size_t bytes,
                     Stream stream) {
  FAKE_BEGIN("cuMemcpyAsync", true);
  if (stream && !s.streams.count(stream))
    return kInvalidHandle;
  std::memcpy(reinterpret_cast<void *>(dst),
              reinterpret_cast<const void *>(src), bytes);
  return Success;
}

Result cuMemsetD16Async(DevicePtr dst, unsigned short value, size_t count,
                        Stream) {
  FAKE_BEGIN("cuMemsetD16Async", true);
  auto *out = reinterpret_cast<unsigned short *>(dst);
  for (size_t i = 0; i < count; ++i)
    out[i] = value;
  return Success;
}

Result cuMemsetD32Async(DevicePtr dst, unsigned value, size_t count, Stream) {
  FAKE_BEGIN("cuMemsetD32Async", true);
  auto *out = reinterpret_cast<unsigned *>(dst);
  for (size_t i = 0; i < count; ++i)
    out[i] = value;
  return Success;
}

Result cuMemHostRegister_v2(void *ptr, size_t bytes, unsigned) {
  FAKE_BEGIN("cuMemHostRegister_v2", true);
  if (s.registered.count(ptr))
    return kHostMemoryAlreadyRegistered;
  s.registered[ptr] = bytes;
  s.counters.registeredHostRanges = static_cast<int>(s.registered.size());
  s.counters.lastRegisteredBytes = bytes;
  return Success;
}

Result cuMemHostUnregister(void *ptr) {
  FAKE_BEGIN("cuMemHostUnregister", true);
  if (!s.registered.erase(ptr))
    return kHostMemoryNotRegistered;
  s.counters.registeredHostRanges = static_cast<int>(s.registered.size());
  return Success;
}

Result cuTensorMapEncodeTiled(TensorMap *map, int dataType, uint32_t rank,
                              void *address, const uint64_t *globalDim,
                              const uint64_t *globalStrides,
                              const uint32_t *boxDim,
                              const uint32_t *elementStrides, int interleave,
                              int swizzle, int l2Promotion, int oobFill) {
  FAKE_BEGIN("cuTensorMapEncodeTiled", false);
  FakeCudaTensorMap &call = s.lastTensorMap;
  call = FakeCudaTensorMap{};
  call.dataType = dataType;
  call.rank = rank;
  call.address = address;
  for (uint32_t r = 0; r < rank; ++r) {
    call.globalDim[r] = globalDim[r];
    call.box[r] = boxDim[r];
    call.elementStrides[r] = elementStrides[r];
    if (r + 1 < rank)
      call.globalStrides[r] = globalStrides[r];
  }
  call.interleave = interleave;
  call.swizzle = swizzle;
  call.l2Promotion = l2Promotion;
  call.oobFill = oobFill;
  ++s.counters.tensorMapEncodes;
  // The encoding is a function of the arguments, as the driver's is.
  *map = TensorMap{};
  std::memcpy(map->opaque, &call, std::min(sizeof(call), sizeof(*map)));
  map->opaque[15] ^= uint64_t(interleave) << 48 | uint64_t(swizzle) << 32 |
                     uint64_t(l2Promotion) << 16 | uint64_t(oobFill);
  return Success;
}

} // extern "C"
