//===- attnc.cpp - The ahead-of-time attention compiler -------------------===//
//
//   attnc INPUT.{mlir,onnx,json}|HF-DIR -o OUT
//         [--emit=mlir|lowered|llvm|asm|obj|shared|ptx|cubin] [--header OUT.h]
//         [--target=cpu|cuda] [--gpu-arch=sm_80|sm_90]
//         [--entry NAME] [--no-flash] [--query-block N] [--key-block N]
//
// mlir: the model as imported; lowered: the LLVM-dialect module after
// attn-cpu-pipeline (attn-gpu-pipeline for --target=cuda); llvm: LLVM IR
// after -O3; asm/obj: host machine code; shared (the default): a .so that
// runtime/Module.h loads and that C programs link against through the
// --header; ptx/cubin: the GPU kernels of --target=cuda.
//
//===----------------------------------------------------------------------===//

#include "compiler/Entries.h"
#include "compiler/Toolchain.h"
#include "frontend/Input.h"
#include "lowering/Compile.h"
#include "tools/ToolMain.h"
#include "tools/attnc/CHeader.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/WithColor.h"

using namespace attnc;
namespace cl = llvm::cl;

#ifndef ATTNC_LLVM_TOOLS_DIR
#error "ATTNC_LLVM_TOOLS_DIR must name LLVM's bin directory (for clang)"
#endif

static cl::OptionCategory category("attnc options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir|model.onnx>"),
                                      cl::cat(category));
static cl::opt<std::string> outputFile("o",
                                       cl::desc("Output file ('-': stdout, "
                                                "for text emits)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
static cl::opt<std::string>
    emit("emit",
         cl::desc("What to write: mlir (as imported), lowered (LLVM "
                  "dialect), llvm (LLVM IR), asm, obj, shared (default); "
                  "with --target=cuda also ptx or cubin (the kernels)"),
         cl::value_desc("kind"), cl::init("shared"), cl::cat(category));
static cl::opt<std::string>
    target("target",
           cl::desc("What the code runs on: cpu (default) or cuda (an "
                    "NVIDIA GPU; libraries link libattnc_cuda_runtime)"),
           cl::value_desc("cpu|cuda"), cl::init("cpu"), cl::cat(category));
static cl::opt<std::string>
    headerFile("header", cl::desc("Also write a C header for the entry points"),
               cl::value_desc("file.h"), cl::cat(category));
static cl::opt<std::string>
    entry("entry",
          cl::desc("The library's default entry point (every public "
                   "function is exported; default: the only one, else "
                   "'forward')"),
          cl::cat(category));
static cl::opt<std::string>
    linker("linker",
           cl::desc("The C compiler driver that links --emit=shared "
                    "(default: clang from LLVM's bin directory, else cc)"),
           cl::value_desc("program"), cl::cat(category));

static int fail(const llvm::Twine &message) {
  return attnc::tools::fail("attnc", message);
}

/// What --emit may name, in pipeline order.
enum class Emit { Mlir, Lowered, Llvm, Asm, Obj, Shared, Ptx, Cubin };

static std::optional<Emit> parseEmit(llvm::StringRef kind) {
  return llvm::StringSwitch<std::optional<Emit>>(kind)
      .Case("mlir", Emit::Mlir)
      .Case("lowered", Emit::Lowered)
      .Case("llvm", Emit::Llvm)
      .Case("asm", Emit::Asm)
      .Case("obj", Emit::Obj)
      .Case("shared", Emit::Shared)
      .Case("ptx", Emit::Ptx)
      .Case("cubin", Emit::Cubin)
      .Default(std::nullopt);
}

/// An output written under a temporary name beside `path` and renamed over
/// it only when kept, so that a failed or interrupted compile never leaves a
/// truncated file that looks valid, nor destroys a good one. '-' is
/// standard output.
class OutputFile {
public:
  /// Creates the temporary file now, so that an unwritable path fails before
  /// the compile.
  static llvm::Expected<std::unique_ptr<OutputFile>> open(llvm::StringRef path) {
    auto file = std::unique_ptr<OutputFile>(new OutputFile(path));
    if (path == "-")
      return file;
    llvm::Expected<llvm::sys::fs::TempFile> temp =
        llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%");
    if (!temp)
      return llvm::createStringError(
          path + ": cannot write: " +
          llvm::errorToErrorCode(temp.takeError()).message());
    file->temp.emplace(std::move(*temp));
    file->stream = std::make_unique<llvm::raw_fd_ostream>(
        file->temp->FD, /*shouldClose=*/false);
    return file;
  }
  ~OutputFile() {
    if (temp)
      llvm::consumeError(temp->discard());
  }

  llvm::raw_fd_ostream &os() { return stream ? *stream : llvm::outs(); }
  /// The temporary file, for a program that writes the output itself.
  llvm::StringRef tempPath() const { return temp ? temp->TmpName : path; }
  /// Renames the temporary file over the output.
  llvm::Error keep() {
    if (!temp)
      return llvm::Error::success();
    // The descriptor is the TempFile's to close.
    stream->flush();
    if (stream->has_error()) {
      std::string message = stream->error().message();
      stream->clear_error();
      return llvm::createStringError(path + ": cannot write: " + message);
    }
    llvm::Error e = temp->keep(path);
    temp.reset();
    if (e)
      return llvm::createStringError(
          path + ": cannot write: " +
          llvm::errorToErrorCode(std::move(e)).message());
    return llvm::Error::success();
  }

private:
  explicit OutputFile(llvm::StringRef path) : path(path.str()) {}
  std::string path;
  std::optional<llvm::sys::fs::TempFile> temp;
  std::unique_ptr<llvm::raw_fd_ostream> stream;
};

/// Generates machine code for `module` into `os`.
static llvm::Error emitMachineCode(llvm::Module &module,
                                   llvm::TargetMachine &machine,
                                   llvm::raw_fd_ostream &os,
                                   llvm::CodeGenFileType type) {
  // Object writers seek back to patch headers; a pipe cannot.
  std::unique_ptr<llvm::buffer_ostream> buffered;
  llvm::raw_pwrite_stream *stream = &os;
  if (!os.supportsSeeking()) {
    buffered = std::make_unique<llvm::buffer_ostream>(os);
    stream = buffered.get();
  }
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, *stream, nullptr, type))
    return llvm::createStringError("the host target cannot emit this file "
                                   "type");
  pm.run(module);
  return llvm::Error::success();
}

/// The driver that links objects into a shared library: --linker, else
/// LLVM's clang, else the system's cc.
static llvm::Expected<std::string> findLinker() {
  if (!linker.empty()) {
    if (llvm::sys::path::has_parent_path(linker)) {
      if (llvm::sys::fs::can_execute(linker))
        return linker.getValue();
    } else if (llvm::ErrorOr<std::string> found =
                   llvm::sys::findProgramByName(linker)) {
      return *found;
    }
    return llvm::createStringError("--linker: cannot find program '" + linker +
                                   "'");
  }
  if (llvm::ErrorOr<std::string> clang =
          llvm::sys::findProgramByName("clang", {ATTNC_LLVM_TOOLS_DIR}))
    return *clang;
  if (llvm::ErrorOr<std::string> cc = llvm::sys::findProgramByName("cc"))
    return *cc;
  return llvm::createStringError(
      "no C compiler driver to link with: neither clang in " +
      llvm::Twine(ATTNC_LLVM_TOOLS_DIR) + " nor cc on PATH; give --linker");
}

/// Links `object` into the shared library `output` (written at `target`,
/// a temporary name for it), against libomp (the parallel loops call it)
/// and libm. `--no-undefined` turns a symbol that the library would miss at
/// dlopen time into an error now.
/// For CUDA, the library also links libattnc_cuda_runtime (the mgpu*
/// functions its host code calls), found through an rpath.
static llvm::Error linkShared(llvm::StringRef object, llvm::StringRef output,
                              llvm::StringRef target, bool cuda) {
  llvm::Expected<std::string> driver = findLinker();
  if (!driver)
    return driver.takeError();
  // The libomp and the CUDA runtime this process uses, wherever they are
  // installed: what the JIT would run the same code with.
  llvm::Expected<std::string> libompPath = loadLibomp();
  if (!libompPath)
    return libompPath.takeError();
  llvm::StringRef libomp = *libompPath;
  llvm::StringRef ompDir = llvm::sys::path::parent_path(libomp);
  std::string soname = "-Wl,-soname," + llvm::sys::path::filename(output).str();
  std::string rpath = "-Wl,-rpath," + ompDir.str();
  llvm::SmallVector<llvm::StringRef> args = {
      *driver, "-shared", "-o",  target, object,
      soname,  libomp,    rpath, "-lm",  "-Wl,--no-undefined"};
  std::string cudaRuntime, cudaRpath;
  if (cuda) {
    llvm::Expected<std::string> found = findCudaRuntime();
    if (!found)
      return found.takeError();
    cudaRuntime = *found;
    cudaRpath =
        "-Wl,-rpath," + llvm::sys::path::parent_path(cudaRuntime).str();
    args.append({cudaRuntime, cudaRpath});
  }

  // The driver's messages go to a file, to be quoted in ours.
  llvm::SmallString<128> log;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("attnc-link", "log", log))
    return llvm::createStringError("cannot create a temporary file: " +
                                   ec.message());
  llvm::scope_exit removeLog([&] { llvm::sys::fs::remove(log); });
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(log), llvm::StringRef(log)};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(*driver, args, std::nullopt, redirects,
                                         0, 0, &error);
  if (status == 0)
    return llvm::Error::success();
  std::string messages;
  if (auto buffer = llvm::MemoryBuffer::getFile(log))
    messages = (*buffer)->getBuffer().rtrim().str();
  std::string why =
      status < 0 ? "could not run " + *driver + ": " + error
                 : *driver + " exited with status " + std::to_string(status);
  return llvm::createStringError(output + ": linking failed (" + why + ")" +
                                 (messages.empty() ? "" : ":\n" + messages));
}

/// Writes the kernels that gpu-module-to-binary embedded in `module`: every
/// GPU module's PTX (each after a comment naming it), or the one cubin.
static llvm::Error writeKernels(mlir::ModuleOp module, bool ptx,
                                llvm::raw_ostream &os) {
  llvm::SmallVector<std::pair<llvm::StringRef, llvm::StringRef>> objects;
  module.walk([&](mlir::gpu::BinaryOp binary) {
    for (mlir::Attribute a : binary.getObjects())
      if (auto object = llvm::dyn_cast<mlir::gpu::ObjectAttr>(a))
        objects.emplace_back(binary.getSymName(),
                             object.getObject().getValue());
  });
  if (objects.empty())
    return llvm::createStringError("the module has no GPU kernels");
  if (!ptx && objects.size() > 1) {
    std::string names;
    for (auto &[name, bytes] : objects)
      names += (names.empty() ? "@" : ", @") + name.str();
    return llvm::createStringError(
        llvm::formatv("--emit=cubin writes one kernel module, and this model "
                      "has {0} ({1}); use --emit=ptx or --emit=shared",
                      objects.size(), names));
  }
  for (auto &[name, bytes] : objects) {
    if (ptx)
      os << "// attnc: gpu.module @" << name << "\n";
    // PTX from gpu-module-to-binary ends in a NUL for the driver.
    os << (ptx ? bytes.rtrim('\0') : bytes);
  }
  return llvm::Error::success();
}

int main(int argc, char **argv) {
  attnc::tools::ToolMain tool(argc, argv, category,
                             "attnc ahead-of-time compiler: turn an attention "
                             "model into LLVM IR, machine code or a shared "
                             "library with a C header\n");

  std::optional<Emit> kind = parseEmit(emit);
  if (!kind)
    return fail("unknown --emit=" + emit +
                "; use mlir, lowered, llvm, asm, obj, shared, ptx or cubin");
  if (target != "cpu" && target != "cuda")
    return fail("unknown --target=" + target + "; use cpu or cuda");
  bool cuda = target == "cuda";
  if (!cuda && (*kind == Emit::Ptx || *kind == Emit::Cubin))
    return fail("--emit=" + emit +
                " writes GPU kernels; it needs "
                "--target=cuda");
  mlir::attn::LoweringOptions lowering = mlir::attn::loweringOptionsFromCL();
  if (!cuda && !lowering.gpuArch.empty())
    return fail("--gpu-arch applies to --target=cuda");
  // The header's wrappers read token ids and free outputs on the host; a
  // CUDA library's entry points take and return device memory, and report
  // errors through the C++ runtime.
  if (cuda && !headerFile.empty())
    return fail("--header describes host tensors; a --target=cuda library "
                "takes device memory: call it through attnc::Module::load "
                "(runtime/Module.h)");
  if (*kind == Emit::Cubin && outputFile == "-")
    return fail("--emit=cubin writes a binary file; name it with -o");
  if (*kind == Emit::Shared && outputFile == "-")
    return fail("--emit=shared writes a library file; name it with -o");

  // Large models spend minutes in lowering and code generation; say where.
  std::function<void(llvm::StringRef)> report =
      mlir::attn::progressReporterFromCL("attnc");
  auto step = [&](const llvm::Twine &what) {
    if (report)
      report(what.str());
  };

  mlir::DialectRegistry registry;
  mlir::attn::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  step("reading " + inputFile);
  // Errors from loading name the file (and line) themselves.
  llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>> loaded =
      loadInput(ctx, inputFile);
  if (!loaded)
    return fail(toString(loaded.takeError()));
  mlir::ModuleOp module = **loaded;
  auto inputError = [&](llvm::Error e) {
    return fail(inputFile + ": " + toString(std::move(e)));
  };

  // Outputs are opened once the input is read (it may be overwritten) and
  // before compiling, so that an unwritable path fails fast; they vanish
  // again unless everything succeeds. The linker writes the library itself.
  std::unique_ptr<OutputFile> out, headerOut;
  {
    llvm::Expected<std::unique_ptr<OutputFile>> opened =
        OutputFile::open(outputFile);
    if (!opened)
      return fail(toString(opened.takeError()));
    out = std::move(*opened);
  }
  if (!headerFile.empty()) {
    llvm::Expected<std::unique_ptr<OutputFile>> opened =
        OutputFile::open(headerFile);
    if (!opened)
      return fail(toString(opened.takeError()));
    headerOut = std::move(*opened);
  }
  auto finish = [&] {
    for (OutputFile *file : {out.get(), headerOut.get()})
      if (file)
        if (llvm::Error e = file->keep())
          return fail(toString(std::move(e)));
    return 0;
  };

  // The model as imported: printed before prepareEntry marks the entry.
  if (*kind == Emit::Mlir)
    module.print(out->os());

  // --emit=mlir only needs entry points when a header describes them.
  std::optional<ModuleSignature> signature;
  if (*kind != Emit::Mlir || headerOut) {
    llvm::Expected<ModuleSignature> sig = prepareEntries(module, entry);
    if (!sig)
      return inputError(sig.takeError());
    signature = std::move(*sig);
  }
  if (headerOut) {
    // One self-contained section per entry point; their shared parts are
    // guarded, so the sections stack.
    for (const Signature &s : signature->entries) {
      llvm::Expected<std::string> text =
          emitCHeader(s, llvm::sys::path::filename(inputFile));
      if (!text)
        return inputError(text.takeError());
      headerOut->os() << *text;
    }
  }
  if (*kind == Emit::Mlir)
    return finish();

  if (cuda) {
    lowering.target = mlir::attn::Target::Cuda;
    lowering.gpuFormat = *kind == Emit::Ptx ? mlir::attn::GpuBinaryFormat::Isa
                         : *kind == Emit::Cubin
                             ? mlir::attn::GpuBinaryFormat::Bin
                             : mlir::attn::GpuBinaryFormat::Fatbin;
  }
  step("lowering to the LLVM dialect");
  signature->target = mlir::attn::targetName(lowering.target).str();
  if (llvm::Error e =
          mlir::attn::lowerToLLVMDialect(module, lowering, signature->toJson()))
    return inputError(std::move(e));
  if (*kind == Emit::Lowered) {
    module.print(out->os());
    return finish();
  }
  if (*kind == Emit::Ptx || *kind == Emit::Cubin) {
    if (llvm::Error e = writeKernels(module, *kind == Emit::Ptx, out->os()))
      return inputError(std::move(e));
    return finish();
  }

  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      mlir::attn::createTargetMachine(lowering.cpu);
  if (!machine)
    return fail(toString(machine.takeError()));
  llvm::LLVMContext llvmContext;
  step("translating to LLVM IR and optimizing");
  llvm::Expected<std::unique_ptr<llvm::Module>> llvmModule =
      mlir::attn::translateAndOptimize(module, llvmContext, **machine);
  if (!llvmModule)
    return inputError(llvmModule.takeError());
  if (*kind == Emit::Llvm) {
    (*llvmModule)->print(out->os(), nullptr);
    return finish();
  }
  step("generating machine code");
  if (*kind == Emit::Asm || *kind == Emit::Obj) {
    if (llvm::Error e = emitMachineCode(
            **llvmModule, **machine, out->os(),
            *kind == Emit::Asm ? llvm::CodeGenFileType::AssemblyFile
                               : llvm::CodeGenFileType::ObjectFile))
      return fail(outputFile + ": " + toString(std::move(e)));
    return finish();
  }

  // Shared: the library exports its entry points and signature only, so
  // that helpers the lowering emits (dealloc_helper, ...) cannot clash
  // between two attnc libraries in one program.
  llvm::StringSet<> exported = {"attnc_signature"};
  for (const Signature &s : signature->entries) {
    exported.insert(s.function);
    exported.insert("_mlir_ciface_" + s.function);
  }
  for (llvm::GlobalValue &g : (*llvmModule)->global_values())
    if (!g.isDeclaration() && !g.hasLocalLinkage() &&
        !exported.contains(g.getName()))
      g.setVisibility(llvm::GlobalValue::HiddenVisibility);

  // An object in a temporary file, linked by the C driver.
  llvm::SmallString<128> object;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("attnc", "o", fd, object))
    return fail("cannot create a temporary object file: " + ec.message());
  llvm::scope_exit removeObject([&] { llvm::sys::fs::remove(object); });
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    if (llvm::Error e = emitMachineCode(**llvmModule, **machine, os,
                                        llvm::CodeGenFileType::ObjectFile))
      return fail(outputFile + ": " + toString(std::move(e)));
    os.close();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      return fail(llvm::Twine(object) + ": cannot write: " + message);
    }
  }
  step("linking " + outputFile);
  if (llvm::Error e = linkShared(object, outputFile, out->tempPath(), cuda))
    return fail(toString(std::move(e)));
  step("done");
  return finish();
}
