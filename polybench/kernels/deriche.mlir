// PolyBench 4.2.1 deriche (medley): Deriche recursive edge-detection filter (causal and anti-causal passes along rows, then columns), LARGE dataset (W=4096, H=2160).
module {
  func.func @kernel_deriche(%arg0: i32, %arg1: i32, %arg2: f64, %arg3: memref<4096x2160xf64>, %arg4: memref<4096x2160xf64>, %arg5: memref<4096x2160xf64>, %arg6: memref<4096x2160xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    %cst_0 = arith.constant 1.000000e+00 : f64
    %cst_1 = arith.constant 2.000000e+00 : f64
    %cst_2 = arith.constant -2.000000e+00 : f64
    %0 = arith.negf %arg2 : f64
    %1 = math.exp %0 : f64
    %2 = arith.subf %cst_0, %1 : f64
    %3 = arith.negf %arg2 : f64
    %4 = math.exp %3 : f64
    %5 = arith.subf %cst_0, %4 : f64
    %6 = arith.mulf %2, %5 : f64
    %7 = arith.mulf %cst_1, %arg2 : f64
    %8 = arith.negf %arg2 : f64
    %9 = math.exp %8 : f64
    %10 = arith.mulf %7, %9 : f64
    %11 = arith.addf %cst_0, %10 : f64
    %12 = arith.mulf %cst_1, %arg2 : f64
    %13 = math.exp %12 : f64
    %14 = arith.subf %11, %13 : f64
    %15 = arith.divf %6, %14 : f64
    %16 = arith.negf %arg2 : f64
    %17 = math.exp %16 : f64
    %18 = arith.mulf %15, %17 : f64
    %19 = arith.subf %arg2, %cst_0 : f64
    %20 = arith.mulf %18, %19 : f64
    %21 = arith.negf %arg2 : f64
    %22 = math.exp %21 : f64
    %23 = arith.mulf %15, %22 : f64
    %24 = arith.addf %arg2, %cst_0 : f64
    %25 = arith.mulf %23, %24 : f64
    %26 = arith.negf %15 : f64
    %27 = arith.mulf %cst_2, %arg2 : f64
    %28 = math.exp %27 : f64
    %29 = arith.mulf %26, %28 : f64
    %30 = arith.negf %arg2 : f64
    %31 = math.powf %cst_1, %30 : f64
    %32 = arith.mulf %cst_2, %arg2 : f64
    %33 = math.exp %32 : f64
    %34 = arith.negf %33 : f64
    affine.for %arg7 = 0 to 4096 {
      %35:3 = affine.for %arg8 = 0 to 2160 iter_args(%arg9 = %cst, %arg10 = %cst, %arg11 = %cst) -> (f64, f64, f64) {
        %36 = affine.load %arg3[%arg7, %arg8] : memref<4096x2160xf64>
        %37 = arith.mulf %15, %36 : f64
        %38 = arith.mulf %20, %arg11 : f64
        %39 = arith.addf %37, %38 : f64
        %40 = arith.mulf %31, %arg9 : f64
        %41 = arith.addf %39, %40 : f64
        %42 = arith.mulf %34, %arg10 : f64
        %43 = arith.addf %41, %42 : f64
        affine.store %43, %arg5[%arg7, %arg8] : memref<4096x2160xf64>
        %44 = affine.load %arg3[%arg7, %arg8] : memref<4096x2160xf64>
        %45 = affine.load %arg5[%arg7, %arg8] : memref<4096x2160xf64>
        affine.yield %45, %arg9, %44 : f64, f64, f64
      }
    }
    affine.for %arg7 = 0 to 4096 {
      %35:4 = affine.for %arg8 = 0 to 2160 iter_args(%arg9 = %cst, %arg10 = %cst, %arg11 = %cst, %arg12 = %cst) -> (f64, f64, f64, f64) {
        %36 = arith.mulf %25, %arg11 : f64
        %37 = arith.mulf %29, %arg12 : f64
        %38 = arith.addf %36, %37 : f64
        %39 = arith.mulf %31, %arg9 : f64
        %40 = arith.addf %38, %39 : f64
        %41 = arith.mulf %34, %arg10 : f64
        %42 = arith.addf %40, %41 : f64
        affine.store %42, %arg6[%arg7, -%arg8 + 2159] : memref<4096x2160xf64>
        %43 = affine.load %arg3[%arg7, -%arg8 + 2159] : memref<4096x2160xf64>
        %44 = affine.load %arg6[%arg7, -%arg8 + 2159] : memref<4096x2160xf64>
        affine.yield %44, %arg9, %43, %arg11 : f64, f64, f64, f64
      }
    }
    affine.for %arg7 = 0 to 4096 {
      affine.for %arg8 = 0 to 2160 {
        %35 = affine.load %arg5[%arg7, %arg8] : memref<4096x2160xf64>
        %36 = affine.load %arg6[%arg7, %arg8] : memref<4096x2160xf64>
        %37 = arith.addf %35, %36 : f64
        %38 = arith.mulf %cst_0, %37 : f64
        affine.store %38, %arg4[%arg7, %arg8] : memref<4096x2160xf64>
      }
    }
    affine.for %arg7 = 0 to 2160 {
      %35:3 = affine.for %arg8 = 0 to 4096 iter_args(%arg9 = %cst, %arg10 = %cst, %arg11 = %cst) -> (f64, f64, f64) {
        %36 = affine.load %arg4[%arg8, %arg7] : memref<4096x2160xf64>
        %37 = arith.mulf %15, %36 : f64
        %38 = arith.mulf %20, %arg9 : f64
        %39 = arith.addf %37, %38 : f64
        %40 = arith.mulf %31, %arg10 : f64
        %41 = arith.addf %39, %40 : f64
        %42 = arith.mulf %34, %arg11 : f64
        %43 = arith.addf %41, %42 : f64
        affine.store %43, %arg5[%arg8, %arg7] : memref<4096x2160xf64>
        %44 = affine.load %arg4[%arg8, %arg7] : memref<4096x2160xf64>
        %45 = affine.load %arg5[%arg8, %arg7] : memref<4096x2160xf64>
        affine.yield %44, %45, %arg10 : f64, f64, f64
      }
    }
    affine.for %arg7 = 0 to 2160 {
      %35:4 = affine.for %arg8 = 0 to 4096 iter_args(%arg9 = %cst, %arg10 = %cst, %arg11 = %cst, %arg12 = %cst) -> (f64, f64, f64, f64) {
        %36 = arith.mulf %25, %arg9 : f64
        %37 = arith.mulf %29, %arg10 : f64
        %38 = arith.addf %36, %37 : f64
        %39 = arith.mulf %31, %arg11 : f64
        %40 = arith.addf %38, %39 : f64
        %41 = arith.mulf %34, %arg12 : f64
        %42 = arith.addf %40, %41 : f64
        affine.store %42, %arg6[-%arg8 + 4095, %arg7] : memref<4096x2160xf64>
        %43 = affine.load %arg4[-%arg8 + 4095, %arg7] : memref<4096x2160xf64>
        %44 = affine.load %arg6[-%arg8 + 4095, %arg7] : memref<4096x2160xf64>
        affine.yield %43, %arg9, %44, %arg11 : f64, f64, f64, f64
      }
    }
    affine.for %arg7 = 0 to 4096 {
      affine.for %arg8 = 0 to 2160 {
        %35 = affine.load %arg5[%arg7, %arg8] : memref<4096x2160xf64>
        %36 = affine.load %arg6[%arg7, %arg8] : memref<4096x2160xf64>
        %37 = arith.addf %35, %36 : f64
        %38 = arith.mulf %cst_0, %37 : f64
        affine.store %38, %arg4[%arg7, %arg8] : memref<4096x2160xf64>
      }
    }
    return
  }
}
