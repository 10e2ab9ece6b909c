//===- CudaRuntimeTest.cpp - The CUDA runtime: no driver, a fake one, a GPU ===//
//
// Each test points $ATTNC_LIBCUDA somewhere and calls resetForTesting(), so
// that the runtime opens the driver afresh: a missing file, the toolkit's
// stub, a library that is not a driver, the fake driver of
// FakeCudaDriver.cpp (the runtime's logic without a GPU), or the real
// libcuda.so.1 (DeviceTest, skipped with ensureDevice()'s message when
// there is no GPU).
//
//===----------------------------------------------------------------------===//

#include "runtime/CudaRuntime.h"

#include "test/unit/runtime/FakeCudaDriver.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <thread>
#include <unistd.h>
#include <vector>

#ifndef ATTNC_FAKE_LIBCUDA
#error "ATTNC_FAKE_LIBCUDA must name the fake driver library"
#endif
#ifndef ATTNC_CUDA_STUB_LIBRARY
#error "ATTNC_CUDA_STUB_LIBRARY must name the CUDA toolkit's stub libcuda"
#endif

namespace cuda = attnc::cuda;

namespace {

constexpr const char *kNoError = "<no error>";

std::string errorOf(const attnc::Status &e) {
  return e ? e.message() : kNoError;
}
template <typename T> std::string errorOf(const attnc::Result<T> &value) {
  return value ? kNoError : value.status().message();
}

/// A kernel that adds 1 to each of `count` floats (checked with ptxas for
/// sm_80 and sm_90).
constexpr const char *kAddOnePtx = R"(.version 8.0
.target sm_80
.address_size 64

.visible .entry add_one(
    .param .u64 add_one_data,
    .param .u32 add_one_count
)
{
    .reg .pred %p<2>;
    .reg .b32 %r<6>;
    .reg .f32 %f<3>;
    .reg .b64 %rd<5>;

    ld.param.u64 %rd1, [add_one_data];
    ld.param.u32 %r2, [add_one_count];
    mov.u32 %r3, %ctaid.x;
    mov.u32 %r4, %ntid.x;
    mov.u32 %r5, %tid.x;
    mad.lo.s32 %r1, %r3, %r4, %r5;
    setp.ge.s32 %p1, %r1, %r2;
    @%p1 bra DONE;
    cvta.to.global.u64 %rd2, %rd1;
    mul.wide.s32 %rd3, %r1, 4;
    add.s64 %rd4, %rd2, %rd3;
    ld.global.f32 %f1, [%rd4];
    add.f32 %f2, %f1, 0f3F800000;
    st.global.f32 [%rd4], %f2;
DONE:
    ret;
}
)";

/// Runs every test with a fresh runtime and restores $ATTNC_LIBCUDA.
class CudaRuntimeTest : public ::testing::Test {
protected:
  void SetUp() override {
    const char *value = std::getenv("ATTNC_LIBCUDA");
    hadLibrary = value != nullptr;
    savedLibrary = value ? value : "";
  }

  void TearDown() override {
    cuda::resetForTesting();
    if (hadLibrary)
      ::setenv("ATTNC_LIBCUDA", savedLibrary.c_str(), 1);
    else
      ::unsetenv("ATTNC_LIBCUDA");
  }

  /// Makes the runtime open `library` next ("" for libcuda.so.1).
  static void useDriver(const std::string &library) {
    if (library.empty())
      ::unsetenv("ATTNC_LIBCUDA");
    else
      ::setenv("ATTNC_LIBCUDA", library.c_str(), 1);
    cuda::resetForTesting();
  }

private:
  bool hadLibrary = false;
  std::string savedLibrary;
};

//===----------------------------------------------------------------------===//
// Without a driver
//===----------------------------------------------------------------------===//

TEST_F(CudaRuntimeTest, MissingLibraryIsNoDriver) {
  useDriver("/nonexistent/libcuda.so.1");
  std::string error = errorOf(cuda::ensureDevice());
  EXPECT_EQ(error.find("no CUDA driver: cannot load /nonexistent/libcuda.so.1 "
                       "(from $ATTNC_LIBCUDA): "),
            0u)
      << error;
  // The failure is remembered, and the queries answer "none".
  EXPECT_EQ(errorOf(cuda::ensureDevice()), error);
  EXPECT_EQ(cuda::deviceName(), "");
  EXPECT_EQ(cuda::computeCapability(), 0);
  EXPECT_EQ(errorOf(cuda::alloc(16)), error);
  EXPECT_EQ(errorOf(cuda::copyToDevice(nullptr, nullptr, 4)), error);
  EXPECT_EQ(errorOf(cuda::synchronize()), error);
  // Nothing to do needs no driver.
  EXPECT_EQ(errorOf(cuda::alloc(0)), kNoError);
  EXPECT_EQ(errorOf(cuda::free(nullptr)), kNoError);
}

TEST_F(CudaRuntimeTest, MgpuCallsWithoutDriverAreSafeAndSticky) {
  useDriver("/nonexistent/libcuda.so.1");
  EXPECT_EQ(mgpuModuleLoad(const_cast<char *>(kAddOnePtx), 0), nullptr);
  EXPECT_EQ(mgpuModuleLoadJIT(const_cast<char *>(kAddOnePtx), 2), nullptr);
  EXPECT_EQ(mgpuModuleGetFunction(nullptr, "add_one"), nullptr);
  void *stream = mgpuStreamCreate();
  EXPECT_EQ(stream, nullptr);
  EXPECT_EQ(mgpuEventCreate(), nullptr);
  void *device = mgpuMemAlloc(64, stream, 0);
  EXPECT_EQ(device, nullptr);
  float host[16] = {};
  mgpuMemcpy(device, host, sizeof(host), stream);
  mgpuMemset32(device, 0, 16, stream);
  mgpuLaunchKernel(nullptr, 1, 1, 1, 1, 1, 1, 0, stream, nullptr, nullptr, 0);
  mgpuStreamSynchronize(stream);
  mgpuMemFree(device, stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(nullptr);

  // The first failing call is named; taking the error clears it.
  std::string error = errorOf(cuda::takeError());
  EXPECT_EQ(error.find("mgpuModuleLoad: no CUDA driver: cannot load "
                       "/nonexistent/libcuda.so.1"),
            0u)
      << error;
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(mgpuStreamCreate(), nullptr);
  error = errorOf(cuda::takeError());
  EXPECT_EQ(error.find("mgpuStreamCreate: no CUDA driver: "), 0u) << error;
}

TEST_F(CudaRuntimeTest, StubLibraryIsNamed) {
  if (::access(ATTNC_CUDA_STUB_LIBRARY, R_OK) != 0)
    GTEST_SKIP() << "no CUDA toolkit stub at " ATTNC_CUDA_STUB_LIBRARY;
  useDriver(ATTNC_CUDA_STUB_LIBRARY);
  std::string error = errorOf(cuda::ensureDevice());
  EXPECT_EQ(error.find("no CUDA driver: "), 0u) << error;
  EXPECT_NE(error.find(ATTNC_CUDA_STUB_LIBRARY), std::string::npos) << error;
  EXPECT_NE(error.find("the CUDA toolkit's stub library, not a driver"),
            std::string::npos)
      << error;
  // The stub's cuGetErrorName does not answer; the runtime names it.
  EXPECT_NE(error.find("CUDA_ERROR_STUB_LIBRARY"), std::string::npos)
      << error;

  EXPECT_EQ(mgpuMemAlloc(64, nullptr, 0), nullptr);
  std::string sticky = errorOf(cuda::takeError());
  EXPECT_EQ(sticky.find("mgpuMemAlloc: no CUDA driver: "), 0u) << sticky;
  EXPECT_NE(sticky.find("stub library"), std::string::npos) << sticky;

  // The stub is closed again: its soname is libcuda.so.1, and left loaded it
  // would stand in for the real driver in a later dlopen("libcuda.so.1").
  cuda::resetForTesting();
  EXPECT_EQ(dlopen(ATTNC_CUDA_STUB_LIBRARY, RTLD_NOW | RTLD_NOLOAD), nullptr);
}

TEST_F(CudaRuntimeTest, LibraryThatIsNotADriver) {
  useDriver("libm.so.6");
  std::string error = errorOf(cuda::ensureDevice());
  EXPECT_EQ(error.find("no usable CUDA driver: "), 0u) << error;
  EXPECT_NE(error.find(" does not export cuInit"), std::string::npos)
      << error;
}

//===----------------------------------------------------------------------===//
// With the fake driver
//===----------------------------------------------------------------------===//

/// A ranked memref descriptor of rank 2, as compiled code passes it.
struct MemRef2D {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
};

class FakeDriverTest : public CudaRuntimeTest {
protected:
  void SetUp() override {
    CudaRuntimeTest::SetUp();
    library = dlopen(ATTNC_FAKE_LIBCUDA, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library, nullptr) << dlerror();
    reset = lookup<FakeCudaResetFn>("fakeCudaReset");
    failNext = lookup<FakeCudaFailNextFn>("fakeCudaFailNext");
    lastLaunch = lookup<FakeCudaLastLaunchFn>("fakeCudaLastLaunch")();
    lastTensorMap =
        lookup<FakeCudaLastTensorMapFn>("fakeCudaLastTensorMap")();
    counters = lookup<FakeCudaCountersFn>("fakeCudaCounters")();
    useFakeDriver(/*deviceCount=*/1, /*initResult=*/0);
  }

  void TearDown() override {
    CudaRuntimeTest::TearDown();
    if (library)
      dlclose(library);
  }

  /// A fresh fake driver with `deviceCount` devices whose cuInit returns
  /// `initResult`, and a fresh runtime using it.
  void useFakeDriver(int deviceCount, int initResult) {
    reset(deviceCount, initResult);
    useDriver(ATTNC_FAKE_LIBCUDA);
  }

  template <typename Fn> Fn lookup(const char *name) {
    auto fn = reinterpret_cast<Fn>(dlsym(library, name));
    EXPECT_NE(fn, nullptr) << name;
    return fn;
  }

  /// Loads kAddOnePtx and returns its add_one kernel.
  void *loadAddOne(void *&module) {
    module = mgpuModuleLoadJIT(const_cast<char *>(kAddOnePtx), 2);
    return mgpuModuleGetFunction(module, "add_one");
  }

  void *library = nullptr;
  FakeCudaResetFn reset = nullptr;
  FakeCudaFailNextFn failNext = nullptr;
  const FakeCudaLaunch *lastLaunch = nullptr;
  const FakeCudaTensorMap *lastTensorMap = nullptr;
  const FakeCudaCounters *counters = nullptr;
};

TEST_F(FakeDriverTest, DeviceAndPrimaryContext) {
  ASSERT_EQ(errorOf(cuda::ensureDevice()), kNoError);
  EXPECT_EQ(cuda::deviceName(), "Fake CUDA Device");
  EXPECT_EQ(cuda::computeCapability(), 90);
  EXPECT_EQ(counters->lastDeviceOrdinal, 0);
  EXPECT_EQ(counters->contextRefs, 1);
  // Asking again retains nothing more.
  ASSERT_EQ(errorOf(cuda::ensureDevice()), kNoError);
  EXPECT_EQ(counters->contextRefs, 1);
  cuda::resetForTesting();
  EXPECT_EQ(counters->contextRefs, 0);
}

TEST_F(FakeDriverTest, NoDevice) {
  useFakeDriver(/*deviceCount=*/0, /*initResult=*/0);
  std::string error = errorOf(cuda::ensureDevice());
  EXPECT_EQ(error, std::string("no CUDA device: the driver (") +
                       ATTNC_FAKE_LIBCUDA + ") reports no devices");

  // The fake's cuGetErrorName does not know 100 or 999 either.
  useFakeDriver(1, /*CUDA_ERROR_NO_DEVICE*/ 100);
  EXPECT_EQ(errorOf(cuda::ensureDevice()),
            "no CUDA device: cuInit returned CUDA_ERROR_NO_DEVICE (no "
            "CUDA-capable device is detected)");

  useFakeDriver(1, /*CUDA_ERROR_UNKNOWN*/ 999);
  EXPECT_EQ(errorOf(cuda::ensureDevice()),
            "CUDA initialization failed: cuInit failed: CUDA_ERROR_UNKNOWN "
            "(unknown error)");

  useFakeDriver(1, /*not a CUresult*/ 12345);
  EXPECT_EQ(errorOf(cuda::ensureDevice()),
            "CUDA initialization failed: cuInit failed: CUresult 12345");

  useFakeDriver(1, 0);
  failNext("cuDevicePrimaryCtxRetain", /*CUDA_ERROR_OUT_OF_MEMORY*/ 2);
  EXPECT_EQ(errorOf(cuda::ensureDevice()),
            "CUDA initialization failed: cuDevicePrimaryCtxRetain failed: "
            "CUDA_ERROR_OUT_OF_MEMORY (out of memory (fake))");
}

TEST_F(FakeDriverTest, InitFailureIsRemembered) {
  useFakeDriver(1, /*CUDA_ERROR_NO_DEVICE*/ 100);
  std::string error = errorOf(cuda::ensureDevice());
  EXPECT_EQ(error.find("no CUDA device: "), 0u) << error;
  // cuInit would now succeed, but the process's answer does not change.
  reset(1, 0);
  EXPECT_EQ(errorOf(cuda::ensureDevice()), error);
  cuda::resetForTesting();
  EXPECT_EQ(errorOf(cuda::ensureDevice()), kNoError);
}

TEST_F(FakeDriverTest, DefaultDevice) {
  useFakeDriver(/*deviceCount=*/2, 0);
  mgpuSetDefaultDevice(5);
  EXPECT_EQ(errorOf(cuda::ensureDevice()),
            "no CUDA device 5: the driver reports 2 device(s)");
  // Choosing again before a device is in use starts over.
  mgpuSetDefaultDevice(1);
  ASSERT_EQ(errorOf(cuda::ensureDevice()), kNoError);
  EXPECT_EQ(counters->lastDeviceOrdinal, 1);
  mgpuSetDefaultDevice(1);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  mgpuSetDefaultDevice(0);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuSetDefaultDevice: cannot switch to device 0: device 1 is in "
            "use (the runtime drives one device per process)");
  mgpuSetDefaultDevice(-1);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuSetDefaultDevice: invalid device -1");
}

TEST_F(FakeDriverTest, MemoryHelpers) {
  std::vector<float> input(64), output(64);
  for (size_t i = 0; i < input.size(); ++i)
    input[i] = 0.25f * static_cast<float>(i);
  size_t bytes = input.size() * sizeof(float);
  attnc::Result<void *> device = cuda::alloc(bytes);
  ASSERT_EQ(errorOf(device.takeError()), kNoError);
  ASSERT_NE(*device, nullptr);
  EXPECT_EQ(counters->liveAllocations, 1);
  ASSERT_EQ(errorOf(cuda::copyToDevice(*device, input.data(), bytes)),
            kNoError);
  ASSERT_EQ(errorOf(cuda::copyToHost(output.data(), *device, bytes)),
            kNoError);
  EXPECT_EQ(output, input);
  EXPECT_EQ(errorOf(cuda::synchronize()), kNoError);
  EXPECT_EQ(errorOf(cuda::free(*device)), kNoError);
  EXPECT_EQ(counters->liveAllocations, 0);

  failNext("cuMemAlloc_v2", /*CUDA_ERROR_OUT_OF_MEMORY*/ 2);
  EXPECT_EQ(errorOf(cuda::alloc(256)),
            "cannot allocate 256 bytes on the CUDA device: cuMemAlloc "
            "failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory (fake))");
  EXPECT_EQ(errorOf(cuda::free(output.data())),
            "cannot free CUDA device memory: cuMemFree failed: "
            "CUDA_ERROR_INVALID_VALUE (invalid argument)");
  failNext("cuMemcpyHtoD_v2", 1);
  EXPECT_EQ(errorOf(cuda::copyToDevice(output.data(), input.data(), 8)),
            "cannot copy 8 bytes to the CUDA device: cuMemcpyHtoD failed: "
            "CUDA_ERROR_INVALID_VALUE (invalid argument)");
  failNext("cuMemcpyDtoH_v2", 1);
  EXPECT_EQ(errorOf(cuda::copyToHost(output.data(), input.data(), 8)),
            "cannot copy 8 bytes from the CUDA device: cuMemcpyDtoH failed: "
            "CUDA_ERROR_INVALID_VALUE (invalid argument)");
  failNext("cuCtxSynchronize", /*CUDA_ERROR_ILLEGAL_ADDRESS*/ 700);
  EXPECT_EQ(errorOf(cuda::synchronize()),
            "CUDA device work failed: cuCtxSynchronize failed: "
            "CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access was "
            "encountered)");
  // The C++ API reports its own errors; none is left pending.
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
}

TEST_F(FakeDriverTest, ModuleAndLaunch) {
  void *module = mgpuModuleLoadJIT(const_cast<char *>(kAddOnePtx), 7);
  ASSERT_NE(module, nullptr) << errorOf(cuda::takeError());
  EXPECT_EQ(counters->lastJitOptLevel, 4); // ptxas levels end at 4
  void *function = mgpuModuleGetFunction(module, "add_one");
  ASSERT_NE(function, nullptr) << errorOf(cuda::takeError());
  void *stream = mgpuStreamCreate();
  ASSERT_NE(stream, nullptr) << errorOf(cuda::takeError());
  void *data = mgpuMemAlloc(1000 * sizeof(float), stream, 0);
  int count = 1000;
  void *params[] = {&data, &count};
  mgpuLaunchKernel(function, 8, 2, 1, 128, 1, 1, 0, stream, params, nullptr,
                   2);
  mgpuStreamSynchronize(stream);
  ASSERT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(counters->launches, 1);
  EXPECT_STREQ(lastLaunch->kernel, "add_one");
  EXPECT_EQ(lastLaunch->grid[0], 8u);
  EXPECT_EQ(lastLaunch->grid[1], 2u);
  EXPECT_EQ(lastLaunch->grid[2], 1u);
  EXPECT_EQ(lastLaunch->block[0], 128u);
  EXPECT_EQ(lastLaunch->sharedBytes, 0u);
  EXPECT_EQ(lastLaunch->stream, stream);
  EXPECT_EQ(lastLaunch->params, params);

  mgpuMemFree(data, stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(counters->liveAllocations, 0);
  EXPECT_EQ(counters->liveStreams, 0);
  EXPECT_EQ(counters->liveModules, 0);

  // Cubin and fatbin images go through cuModuleLoadData (the fake takes
  // PTX there too).
  module = mgpuModuleLoad(const_cast<char *>(kAddOnePtx),
                          std::strlen(kAddOnePtx) + 1);
  ASSERT_NE(module, nullptr) << errorOf(cuda::takeError());
  EXPECT_EQ(counters->liveModules, 1);
  mgpuModuleUnload(module);
  EXPECT_EQ(counters->liveModules, 0);
}

TEST_F(FakeDriverTest, ModuleErrors) {
  void *module = nullptr;
  ASSERT_NE(loadAddOne(module), nullptr) << errorOf(cuda::takeError());
  EXPECT_EQ(mgpuModuleGetFunction(module, "missing"), nullptr);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuModuleGetFunction: cuModuleGetFunction('missing') failed: "
            "CUDA_ERROR_NOT_FOUND (named symbol not found)");
  mgpuModuleUnload(module);

  std::string bad = std::string(kAddOnePtx) + "SYNTAX ERROR";
  EXPECT_EQ(mgpuModuleLoadJIT(bad.data(), 2), nullptr);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuModuleLoadJIT: cuModuleLoadDataEx failed: "
            "CUDA_ERROR_INVALID_PTX (a PTX JIT compilation failed); JIT "
            "log:\nptxas fatal: fake syntax error");

  char notAnImage[] = "\x7f" "ELF";
  EXPECT_EQ(mgpuModuleLoad(notAnImage, sizeof(notAnImage)), nullptr);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuModuleLoad: cuModuleLoadData failed: "
            "CUDA_ERROR_INVALID_IMAGE (device kernel image is invalid)");
}

TEST_F(FakeDriverTest, LaunchChecks) {
  void *module = nullptr;
  void *function = loadAddOne(module);
  ASSERT_NE(function, nullptr) << errorOf(cuda::takeError());

  // Over 48 KiB of dynamic shared memory: the kernel opts in first.
  mgpuLaunchKernel(function, 1, 1, 1, 32, 1, 1, 64 * 1024, nullptr, nullptr,
                   nullptr, 0);
  ASSERT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(lastLaunch->sharedBytes, 64u * 1024);
  EXPECT_EQ(lastLaunch->maxDynamicSharedBytes, 64 * 1024);

  mgpuLaunchKernel(function, 1, 1, 1, 32, 1, 1, 300000, nullptr, nullptr,
                   nullptr, 0);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuLaunchKernel: the kernel asks for 300000 bytes of dynamic "
            "shared memory; Fake CUDA Device allows at most 232448 per block");
  mgpuLaunchKernel(function, 1, 1, 1, 32, 1, 1, -4, nullptr, nullptr,
                   nullptr, 0);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuLaunchKernel: negative dynamic shared memory size -4");

  // An empty grid or block is nothing to do.
  int launches = counters->launches;
  mgpuLaunchKernel(function, 0, 1, 1, 32, 1, 1, 0, nullptr, nullptr, nullptr,
                   0);
  mgpuLaunchKernel(function, 4, 1, 1, 32, 0, 1, 0, nullptr, nullptr, nullptr,
                   0);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(counters->launches, launches);

  // Extents the driver's unsigned cannot hold are not truncated.
  mgpuLaunchKernel(function, intptr_t(1) << 32, 1, 1, 32, 1, 1, 0, nullptr,
                   nullptr, nullptr, 0);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuLaunchKernel: grid x 4294967296 is out of range");
  mgpuLaunchKernel(function, 1, 1, 1, 32, -1, 1, 0, nullptr, nullptr, nullptr,
                   0);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuLaunchKernel: block y -1 is out of range");
  EXPECT_EQ(counters->launches, launches);

  failNext("cuLaunchKernel", /*CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES*/ 701);
  mgpuLaunchKernel(function, 1, 1, 1, 1024, 1, 1, 0, nullptr, nullptr,
                   nullptr, 0);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuLaunchKernel: cuLaunchKernel failed: "
            "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (too many resources "
            "requested for launch)");
  mgpuModuleUnload(module);
}

TEST_F(FakeDriverTest, ClusterLaunch) {
  void *module = nullptr;
  void *function = loadAddOne(module);
  ASSERT_NE(function, nullptr) << errorOf(cuda::takeError());
  mgpuLaunchClusterKernel(function, 2, 1, 1, 8, 3, 1, 128, 1, 1, 1024,
                          nullptr, nullptr, nullptr);
  ASSERT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(lastLaunch->cluster[0], 2u);
  EXPECT_EQ(lastLaunch->cluster[1], 1u);
  EXPECT_EQ(lastLaunch->grid[0], 8u);
  EXPECT_EQ(lastLaunch->grid[1], 3u);
  EXPECT_EQ(lastLaunch->block[0], 128u);
  EXPECT_EQ(lastLaunch->sharedBytes, 1024u);
  EXPECT_EQ(lastLaunch->nonPortableClusterSize, 0);

  // 16 blocks per cluster is beyond the portable 8.
  mgpuLaunchClusterKernel(function, 4, 4, 1, 16, 4, 1, 128, 1, 1, 0, nullptr,
                          nullptr, nullptr);
  ASSERT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(lastLaunch->cluster[0], 4u);
  EXPECT_EQ(lastLaunch->cluster[1], 4u);
  EXPECT_EQ(lastLaunch->nonPortableClusterSize, 1);

  mgpuLaunchClusterKernel(function, -2, 1, 1, 8, 1, 1, 128, 1, 1, 0, nullptr,
                          nullptr, nullptr);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuLaunchClusterKernel: cluster x -2 is out of range");
  mgpuModuleUnload(module);
}

TEST_F(FakeDriverTest, StreamsAndEvents) {
  void *first = mgpuStreamCreate();
  void *second = mgpuStreamCreate();
  void *event = mgpuEventCreate();
  ASSERT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(counters->liveStreams, 2);
  EXPECT_EQ(counters->liveEvents, 1);
  mgpuEventRecord(event, first);
  mgpuStreamWaitEvent(second, event);
  mgpuEventSynchronize(event);
  mgpuStreamSynchronize(second);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  mgpuEventDestroy(event);
  mgpuStreamDestroy(first);
  mgpuStreamDestroy(second);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(counters->liveStreams, 0);
  EXPECT_EQ(counters->liveEvents, 0);

  mgpuEventSynchronize(event);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuEventSynchronize: cuEventSynchronize failed: "
            "CUDA_ERROR_INVALID_HANDLE (invalid resource handle)");
}

TEST_F(FakeDriverTest, MemoryCalls) {
  void *stream = mgpuStreamCreate();
  EXPECT_EQ(mgpuMemAlloc(0, stream, 0), nullptr);
  EXPECT_EQ(counters->liveAllocations, 0);
  auto *device = static_cast<uint32_t *>(mgpuMemAlloc(64, stream, 0));
  ASSERT_NE(device, nullptr) << errorOf(cuda::takeError());
  EXPECT_EQ(counters->liveManagedAllocations, 0);

  uint32_t host[16];
  mgpuMemset32(device, 0x3f800000u, 16, stream);
  mgpuMemcpy(host, device, sizeof(host), stream);
  for (uint32_t word : host)
    EXPECT_EQ(word, 0x3f800000u);
  // Only the low 16 bits of an i16 argument count.
  mgpuMemset16(device, 0xdead0001u, 32, stream);
  mgpuMemcpy(host, device, sizeof(host), stream);
  for (uint32_t word : host)
    EXPECT_EQ(word, 0x00010001u);
  mgpuMemFree(device, stream);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);

  // host_shared (an i8): managed memory; bits above the low byte are noise.
  void *shared = mgpuMemAlloc(64, stream, 0xffffff01u);
  EXPECT_EQ(counters->liveManagedAllocations, 1);
  void *plain = mgpuMemAlloc(64, stream, 0xffffff00u);
  EXPECT_EQ(counters->liveManagedAllocations, 1);
  EXPECT_EQ(counters->liveAllocations, 2);
  mgpuMemFree(shared, stream);
  mgpuMemFree(plain, stream);
  mgpuStreamDestroy(stream);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(counters->liveAllocations, 0);

  failNext("cuMemAlloc_v2", /*CUDA_ERROR_OUT_OF_MEMORY*/ 2);
  EXPECT_EQ(mgpuMemAlloc(1 << 20, nullptr, 0), nullptr);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuMemAlloc: cuMemAlloc(1048576 bytes) failed: "
            "CUDA_ERROR_OUT_OF_MEMORY (out of memory (fake))");
}

TEST_F(FakeDriverTest, StickyErrorSkipsWorkButReleases) {
  void *stream = mgpuStreamCreate();
  void *data = mgpuMemAlloc(64, stream, 0);
  void *module = nullptr;
  void *function = loadAddOne(module);
  ASSERT_EQ(errorOf(cuda::takeError()), kNoError);
  int launches = counters->launches;

  failNext("cuStreamSynchronize", /*CUDA_ERROR_ILLEGAL_ADDRESS*/ 700);
  mgpuStreamSynchronize(stream);
  // Work is skipped while the failure is pending...
  EXPECT_EQ(mgpuStreamCreate(), nullptr);
  EXPECT_EQ(counters->liveStreams, 1);
  EXPECT_EQ(mgpuMemAlloc(64, stream, 0), nullptr);
  EXPECT_EQ(counters->liveAllocations, 1);
  mgpuLaunchKernel(function, 1, 1, 1, 1, 1, 1, 0, stream, nullptr, nullptr,
                   0);
  EXPECT_EQ(counters->launches, launches);
  // ...a second failure does not replace the first...
  failNext("cuMemFree_v2", 1);
  // ...and releases still happen.
  mgpuMemFree(data, stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
  EXPECT_EQ(counters->liveStreams, 0);
  EXPECT_EQ(counters->liveModules, 0);

  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuStreamSynchronize: cuStreamSynchronize failed: "
            "CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access was "
            "encountered)");
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  stream = mgpuStreamCreate();
  EXPECT_NE(stream, nullptr);
  mgpuStreamDestroy(stream);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
}

TEST_F(FakeDriverTest, ReleaseAtDriverShutdownIsQuiet) {
  void *module = nullptr;
  ASSERT_NE(loadAddOne(module), nullptr) << errorOf(cuda::takeError());
  // Global destructors unload modules at exit, possibly after the driver
  // began shutting down.
  failNext("cuModuleUnload", /*CUDA_ERROR_DEINITIALIZED*/ 4);
  mgpuModuleUnload(module);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  mgpuModuleUnload(module);
  EXPECT_EQ(counters->liveModules, 0);
}

TEST_F(FakeDriverTest, ContextOnEveryThread) {
  ASSERT_EQ(errorOf(cuda::ensureDevice()), kNoError);
  void *data = nullptr;
  // The fake fails calls without the context current on their own thread.
  std::thread([&] { data = mgpuMemAlloc(16, nullptr, 0); }).join();
  EXPECT_NE(data, nullptr);
  std::thread([&] { mgpuMemFree(data, nullptr); }).join();
  std::thread([&] {
    attnc::Result<void *> more = cuda::alloc(16);
    EXPECT_EQ(errorOf(more.takeError()), kNoError);
    EXPECT_EQ(errorOf(cuda::free(*more)), kNoError);
  }).join();
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(counters->liveAllocations, 0);
}

TEST_F(FakeDriverTest, HostRegister) {
  float values[8] = {};
  MemRef2D memref{values, values, 1, {2, 3}, {3, 1}};
  mgpuMemHostRegisterMemRef(2, &memref, sizeof(float));
  ASSERT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(counters->registeredHostRanges, 1);
  EXPECT_EQ(counters->lastRegisteredBytes, 6 * sizeof(float));
  mgpuMemHostUnregisterMemRef(2, &memref, sizeof(float));
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
  EXPECT_EQ(counters->registeredHostRanges, 0);

  MemRef2D strided{values, values, 0, {2, 3}, {6, 2}};
  mgpuMemHostRegisterMemRef(2, &strided, sizeof(float));
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuMemHostRegisterMemRef: only a contiguous memref can be "
            "registered; dimension 1 has stride 2, not 1");
  EXPECT_EQ(counters->registeredHostRanges, 0);
}

TEST_F(FakeDriverTest, TensorMapDescriptors) {
  std::vector<uint16_t> tensor(128 * 64);
  MemRef2D memref{tensor.data(), tensor.data(), 64, {127, 64}, {64, 1}};
  int64_t box[2] = {32, 64};
  // f16 (6), no interleave, 128-byte swizzle (3), no L2 promotion, zero fill.
  void *first =
      mgpuTensorMapEncodeTiledMemref(2, &memref, 6, 0, 3, 0, 0, box);
  ASSERT_NE(first, nullptr) << errorOf(cuda::takeError());
  EXPECT_EQ(lastTensorMap->dataType, 6);
  EXPECT_EQ(lastTensorMap->rank, 2u);
  EXPECT_EQ(lastTensorMap->address,
            static_cast<void *>(tensor.data() + 64));
  // Innermost first, byte strides of the outer dimensions.
  EXPECT_EQ(lastTensorMap->globalDim[0], 64u);
  EXPECT_EQ(lastTensorMap->globalDim[1], 127u);
  EXPECT_EQ(lastTensorMap->globalStrides[0], 128u);
  EXPECT_EQ(lastTensorMap->box[0], 64u);
  EXPECT_EQ(lastTensorMap->box[1], 32u);
  EXPECT_EQ(lastTensorMap->elementStrides[0], 1u);
  EXPECT_EQ(lastTensorMap->elementStrides[1], 1u);
  EXPECT_EQ(lastTensorMap->swizzle, 3);
  EXPECT_EQ(counters->liveAllocations, 1);

  // The same descriptor again shares the device copy; another gets its own.
  EXPECT_EQ(mgpuTensorMapEncodeTiledMemref(2, &memref, 6, 0, 3, 0, 0, box),
            first);
  EXPECT_EQ(counters->liveAllocations, 1);
  int64_t otherBox[2] = {64, 64};
  void *second =
      mgpuTensorMapEncodeTiledMemref(2, &memref, 6, 0, 3, 0, 0, otherBox);
  EXPECT_NE(second, nullptr);
  EXPECT_NE(second, first);
  EXPECT_EQ(counters->liveAllocations, 2);
  EXPECT_EQ(counters->tensorMapEncodes, 3);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);

  EXPECT_EQ(mgpuTensorMapEncodeTiledMemref(6, &memref, 6, 0, 3, 0, 0, box),
            nullptr);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuTensorMapEncodeTiledMemref: a TMA descriptor has rank 1 to "
            "5, not 6");
  EXPECT_EQ(mgpuTensorMapEncodeTiledMemref(2, &memref, 13, 0, 3, 0, 0, box),
            nullptr);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuTensorMapEncodeTiledMemref: unsupported element type 13");
  MemRef2D transposed{tensor.data(), tensor.data(), 0, {64, 128}, {1, 64}};
  EXPECT_EQ(
      mgpuTensorMapEncodeTiledMemref(2, &transposed, 6, 0, 3, 0, 0, box),
      nullptr);
  EXPECT_EQ(errorOf(cuda::takeError()),
            "mgpuTensorMapEncodeTiledMemref: the innermost dimension must be "
            "contiguous, but its stride is 64");

  // The device copies go with the context.
  cuda::resetForTesting();
  EXPECT_EQ(counters->liveAllocations, 0);
}

//===----------------------------------------------------------------------===//
// On a real GPU
//===----------------------------------------------------------------------===//

class DeviceTest : public CudaRuntimeTest {
protected:
  void SetUp() override {
    CudaRuntimeTest::SetUp();
    useDriver("");
    if (attnc::Status e = cuda::ensureDevice())
      GTEST_SKIP() << toString(std::move(e));
  }
};

TEST_F(DeviceTest, MemoryRoundTrip) {
  std::vector<float> input(1 << 20), output(input.size());
  for (size_t i = 0; i < input.size(); ++i)
    input[i] = static_cast<float>(i) * 0.5f - 1000.0f;
  size_t bytes = input.size() * sizeof(float);
  attnc::Result<void *> device = cuda::alloc(bytes);
  ASSERT_EQ(errorOf(device.takeError()), kNoError);
  ASSERT_EQ(errorOf(cuda::copyToDevice(*device, input.data(), bytes)),
            kNoError);
  ASSERT_EQ(errorOf(cuda::copyToHost(output.data(), *device, bytes)),
            kNoError);
  EXPECT_EQ(output, input);
  EXPECT_EQ(errorOf(cuda::free(*device)), kNoError);
  EXPECT_FALSE(cuda::deviceName().empty());
  EXPECT_GT(cuda::computeCapability(), 0);
}

/// Runs add_one on 1000 floats, loaded by `load`, launched plainly or (when
/// `cluster` > 0) in clusters of that many blocks.
void runAddOne(void *(*load)(const char *), unsigned cluster) {
  constexpr int count = 1000;
  std::vector<float> input(count), output(count);
  for (int i = 0; i < count; ++i)
    input[i] = 0.5f * static_cast<float>(i) - 3.0f;
  void *module = load(kAddOnePtx);
  void *function = mgpuModuleGetFunction(module, "add_one");
  ASSERT_NE(function, nullptr) << errorOf(cuda::takeError());
  void *stream = mgpuStreamCreate();
  void *data = mgpuMemAlloc(count * sizeof(float), stream, 0);
  mgpuMemcpy(data, input.data(), count * sizeof(float), stream);
  int n = count;
  void *params[] = {&data, &n};
  intptr_t blocks = 8; // 8 * 128 >= 1000; a multiple of the cluster sizes
  if (cluster)
    mgpuLaunchClusterKernel(function, cluster, 1, 1, blocks, 1, 1, 128, 1, 1,
                            0, stream, params, nullptr);
  else
    mgpuLaunchKernel(function, blocks, 1, 1, 128, 1, 1, 0, stream, params,
                     nullptr, 2);
  mgpuMemcpy(output.data(), data, count * sizeof(float), stream);
  mgpuStreamSynchronize(stream);
  mgpuMemFree(data, stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
  ASSERT_EQ(errorOf(cuda::takeError()), kNoError);
  for (int i = 0; i < count; ++i)
    EXPECT_EQ(output[i], input[i] + 1.0f) << "at " << i;
}

void *loadImage(const char *ptx) {
  return mgpuModuleLoad(const_cast<char *>(ptx), std::strlen(ptx) + 1);
}
void *loadJit(const char *ptx) {
  return mgpuModuleLoadJIT(const_cast<char *>(ptx), 3);
}

TEST_F(DeviceTest, PtxKernelThroughModuleLoad) {
  if (cuda::computeCapability() < 80)
    GTEST_SKIP() << "the test kernel is PTX for sm_80";
  runAddOne(loadImage, 0);
}

TEST_F(DeviceTest, PtxKernelThroughModuleLoadJIT) {
  if (cuda::computeCapability() < 80)
    GTEST_SKIP() << "the test kernel is PTX for sm_80";
  runAddOne(loadJit, 0);
}

TEST_F(DeviceTest, ClusterLaunch) {
  if (cuda::computeCapability() < 90)
    GTEST_SKIP() << "thread-block clusters need sm_90";
  runAddOne(loadJit, 2);
}

TEST_F(DeviceTest, MissingKernelIsNamed) {
  if (cuda::computeCapability() < 80)
    GTEST_SKIP() << "the test kernel is PTX for sm_80";
  void *module = loadJit(kAddOnePtx);
  void *function = mgpuModuleGetFunction(module, "missing_kernel");
  EXPECT_EQ(function, nullptr);
  std::string error = errorOf(cuda::takeError());
  EXPECT_EQ(error.find("mgpuModuleGetFunction: "
                       "cuModuleGetFunction('missing_kernel') failed: "
                       "CUDA_ERROR_NOT_FOUND"),
            0u)
      << error;
  mgpuModuleUnload(module);
  EXPECT_EQ(errorOf(cuda::takeError()), kNoError);
}

} // namespace
