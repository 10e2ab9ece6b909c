//===- SafetensorsTest.cpp - Tests of the safetensors reader --------------===//
//
// A well-formed file reads back exactly; every malformed header is an error
// that names the file and, where one is at fault, the tensor.
//
//===----------------------------------------------------------------------===//

#include "frontend/Safetensors.h"

#include "test/unit/frontend/SafetensorsWriter.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace attnc;
using namespace attnc::frontend;
using attnc::test::safetensorsBytes;
using attnc::test::TempDir;
using attnc::test::writeFile;

namespace {

class SafetensorsTest : public ::testing::Test {
protected:
  /// Opens a file with `header` and `data` and returns the error message
  /// (empty when it opened).
  std::string errorOf(llvm::StringRef header, llvm::StringRef data = "") {
    writeFile(path, safetensorsBytes(header, data));
    auto file = SafetensorsFile::open(path);
    if (file)
      return "";
    return toString(file.takeError());
  }

  /// Expects opening to fail with a message naming the file and containing
  /// each of `parts`.
  void expectError(llvm::StringRef header, llvm::StringRef data,
                   std::initializer_list<llvm::StringRef> parts) {
    std::string message = errorOf(header, data);
    ASSERT_FALSE(message.empty()) << "opened: " << header.str();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    for (llvm::StringRef part : parts)
      EXPECT_NE(message.find(part.str()), std::string::npos)
          << "'" << part.str() << "' not in: " << message;
  }

  TempDir dir;
  std::string path = dir.file("w.safetensors");
};

TEST_F(SafetensorsTest, ReadsTensorsAndMetadata) {
  Tensor a(DType::F32, {2, 3});
  for (int i = 0; i < 6; ++i)
    a.setDouble(i, i * 0.5 - 1);
  Tensor b(DType::BF16, {4});
  for (int i = 0; i < 4; ++i)
    b.setDouble(i, i + 0.25);
  Tensor c(DType::I64, {0, 5}); // empty, and not a float
  attnc::test::writeSafetensors(path, {{"b", b}, {"a.weight", a}, {"c", c}});

  auto file = SafetensorsFile::open(path);
  ASSERT_TRUE(static_cast<bool>(file)) << toString(file.takeError());
  EXPECT_EQ((*file)->path(), path);
  EXPECT_EQ((*file)->tensors().size(), 3u);
  const SafetensorsTensor *ta = (*file)->find("a.weight");
  ASSERT_NE(ta, nullptr);
  EXPECT_EQ(ta->dtype, "F32");
  EXPECT_EQ(ta->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(ta->numElements(), 6);
  ASSERT_EQ(ta->bytes.size(), 24u);
  EXPECT_EQ(std::memcmp(ta->bytes.data(), a.data(), 24), 0);
  const SafetensorsTensor *tb = (*file)->find("b");
  ASSERT_NE(tb, nullptr);
  EXPECT_EQ(tb->dtype, "BF16");
  ASSERT_EQ(tb->bytes.size(), 8u);
  EXPECT_EQ(std::memcmp(tb->bytes.data(), b.data(), 8), 0);
  const SafetensorsTensor *tc = (*file)->find("c");
  ASSERT_NE(tc, nullptr);
  EXPECT_EQ(tc->numElements(), 0);
  EXPECT_EQ((*file)->find("missing"), nullptr);
  // In the order of their data.
  EXPECT_EQ((*file)->tensors()[0].name, "b");
  EXPECT_EQ((*file)->tensors()[1].name, "a.weight");
}

TEST_F(SafetensorsTest, MetadataIsReadAndOptional) {
  std::string data(8, '\0');
  ASSERT_EQ(errorOf(R"({"__metadata__": {"format": "pt"},
      "x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})",
                    data),
            "");
  auto file = SafetensorsFile::open(path);
  ASSERT_TRUE(static_cast<bool>(file));
  EXPECT_EQ((*file)->metadata().lookup("format"), "pt");
  EXPECT_EQ((*file)->tensors().size(), 1u);
  EXPECT_EQ(errorOf("{}"), "");
}

TEST_F(SafetensorsTest, EveryDtypeOfTheFormatHasItsSize) {
  EXPECT_EQ(safetensorsDTypeSize("BOOL"), 1u);
  EXPECT_EQ(safetensorsDTypeSize("F8_E4M3"), 1u);
  EXPECT_EQ(safetensorsDTypeSize("BF16"), 2u);
  EXPECT_EQ(safetensorsDTypeSize("U32"), 4u);
  EXPECT_EQ(safetensorsDTypeSize("F64"), 8u);
  EXPECT_EQ(safetensorsDTypeSize("f32"), 0u);
}

TEST_F(SafetensorsTest, MissingFile) {
  auto file = SafetensorsFile::open(dir.file("nope.safetensors"));
  ASSERT_FALSE(static_cast<bool>(file));
  std::string message = toString(file.takeError());
  EXPECT_NE(message.find("nope.safetensors"), std::string::npos) << message;
}

TEST_F(SafetensorsTest, ShorterThanTheHeaderLength) {
  writeFile(path, "abc");
  auto file = SafetensorsFile::open(path);
  ASSERT_FALSE(static_cast<bool>(file));
  std::string message = toString(file.takeError());
  EXPECT_NE(message.find(path + ": not a safetensors file: 3 bytes"),
            std::string::npos)
      << message;
}

TEST_F(SafetensorsTest, HeaderLengthBeyondTheFile) {
  std::string bytes = safetensorsBytes("{}", "");
  bytes[0] = 100; // claims a 100-byte header; the file has 2
  writeFile(path, bytes);
  auto file = SafetensorsFile::open(path);
  ASSERT_FALSE(static_cast<bool>(file));
  std::string message = toString(file.takeError());
  EXPECT_NE(message.find("the header length 100 runs past the end of the "
                         "file (10 bytes)"),
            std::string::npos)
      << message;
}

TEST_F(SafetensorsTest, HeaderErrors) {
  expectError("{\"x\": ", "", {"the header is not valid JSON", "[1:"});
  expectError("[1, 2]", "", {"the header is not a JSON object"});
  // 100k nested lists once overflowed llvm::json's recursion.
  expectError("{\"x\": " + std::string(100000, '['), "",
              {":1: brackets nest deeper than 128 levels (attnc's limit)"});
  expectError(R"({"__metadata__": 3})", "", {"'__metadata__' is not an object"});
  expectError(R"({"__metadata__": {"k": 1}})", "",
              {"'__metadata__' entry 'k' is not a string"});
}

TEST_F(SafetensorsTest, EntryErrorsNameTheTensor) {
  std::string data(64, '\0');
  expectError(R"({"w": 3})", data, {"tensor 'w'", "not an object"});
  expectError(R"({"w": {"shape": [1], "data_offsets": [0, 4]}})", data,
              {"tensor 'w'", "missing or non-string 'dtype'"});
  expectError(R"({"w": {"dtype": "F7", "shape": [1], "data_offsets": [0, 4]}})",
              data, {"tensor 'w'", "unknown dtype 'F7'"});
  expectError(R"({"w": {"dtype": "F32", "data_offsets": [0, 4]}})", data,
              {"tensor 'w'", "missing 'shape'"});
  expectError(R"({"w": {"dtype": "F32", "shape": 4, "data_offsets": [0, 16]}})",
              data, {"tensor 'w'", "missing 'shape' or it is not a list"});
  for (const char *shape : {"[-1]", "[2.5]", "[\"2\"]", "[[1]]"})
    expectError((R"({"w": {"dtype": "F32", "shape": )" + std::string(shape) +
                 R"(, "data_offsets": [0, 4]}})"),
                data,
                {"tensor 'w'",
                 "'shape' must be a list of non-negative integers"});
  expectError(
      R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296, 4]}})",
      data, {"tensor 'w'", "has too many elements"});
  // Byte sizes of 2^64 and more wrapped around: 2^62 F32 or 2^61 I64
  // elements "took" 0 bytes and matched empty data_offsets (found while
  // writing the safetensors fuzz target, test/fuzz).
  for (const char *tensor : {R"("dtype": "F32", "shape": [4611686018427387904])",
                             R"("dtype": "I64", "shape": [2305843009213693952])",
                             R"("dtype": "F64", "shape": [1, 4611686018427387904])"})
    expectError((R"({"w": {)" + std::string(tensor) +
                 R"(, "data_offsets": [0, 0]}})"),
                data, {"tensor 'w'", "has too many elements"});
  for (const char *offsets : {"[0]", "[0, 4, 8]", "[-4, 0]", "[0, \"4\"]"})
    expectError((R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": )" +
                 std::string(offsets) + "}}"),
                data,
                {"tensor 'w'", "'data_offsets' must be a list of two "
                               "non-negative integers"});
  expectError(R"({"w": {"dtype": "F32", "shape": [1]}})", data,
              {"tensor 'w'", "'data_offsets' must be"});
  expectError(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}})",
              data, {"tensor 'w'", "[8, 4] ends before it begins"});
}

TEST_F(SafetensorsTest, OffsetsMustMatchShapeAndDtype) {
  std::string data(64, '\0');
  expectError(R"({"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 12]}})",
              data,
              {"tensor 'w'", "[0, 12] hold 12 bytes, but F32 [2, 3] takes 24"});
  expectError(R"({"w": {"dtype": "BF16", "shape": [3], "data_offsets": [0, 12]}})",
              data, {"tensor 'w'", "but BF16 [3] takes 6"});
}

TEST_F(SafetensorsTest, OffsetsBeyondTheData) {
  std::string data(16, '\0');
  expectError(R"({"w": {"dtype": "F32", "shape": [8], "data_offsets": [0, 32]}})",
              data,
              {"tensor 'w'", "[0, 32] run past the end of the data (16 bytes)"});
}

TEST_F(SafetensorsTest, OverlappingTensors) {
  std::string data(32, '\0');
  expectError(R"({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                  "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}})",
              data,
              {"tensor 'b'", "[8, 16] overlap those of tensor 'a' [0, 16]"});
  // Touching is not overlapping; an empty tensor overlaps nothing.
  EXPECT_EQ(errorOf(R"({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                        "e": {"dtype": "F32", "shape": [0], "data_offsets": [8, 8]},
                        "b": {"dtype": "F32", "shape": [4], "data_offsets": [16, 32]}})",
                    data),
            "");
}

} // namespace
