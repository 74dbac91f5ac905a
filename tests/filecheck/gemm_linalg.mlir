// RUN: buddy-raise polybench/kernels/gemm.mlir --crosscheck small -q | filecheck %s
// The raised gemm keeps its signature, reads tensors from the memrefs, contracts with
// linalg.matmul and writes the result back; no loops remain. C's A may be C's B or C:
// the function checks the buffers at entry and runs the original loops if any overlap.
// CHECK: func.func @kernel_gemm(%arg0: i32, %arg1: i32, %arg2: i32, %arg3: f64, %arg4: f64, %arg5: memref<1000x1100xf64>, %arg6: memref<1000x1200xf64>, %arg7: memref<1200x1100xf64>)
// CHECK-NOT: affine.for
// CHECK: memref.extract_aligned_pointer_as_index %arg5
// CHECK: memref.extract_aligned_pointer_as_index %arg6
// CHECK: memref.extract_aligned_pointer_as_index %arg7
// CHECK: scf.if
// CHECK-NEXT: func.call @kernel_gemm__loops(%arg0, %arg1, %arg2, %arg3, %arg4, %arg5, %arg6, %arg7)
// CHECK: } else {
// CHECK-NEXT: func.call @kernel_gemm__raised(%arg0, %arg1, %arg2, %arg3, %arg4, %arg5, %arg6, %arg7)
// CHECK: func.func private @kernel_gemm__raised(
// CHECK-NOT: affine.for
// CHECK-DAG: bufferization.to_tensor %arg6
// CHECK-DAG: bufferization.to_tensor %arg7
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1000x1200xf64>, tensor<1200x1100xf64>)
// CHECK: linalg.add
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %arg5
// CHECK-NOT: affine.for
// CHECK: func.func private @kernel_gemm__loops(
// CHECK: affine.for
