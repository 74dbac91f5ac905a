// PolyBench 4.2.1 adi (stencils): alternating direction implicit solver, column then row tridiagonal sweeps for t = 1..TSTEPS, LARGE dataset (TSTEPS=500, N=1000).
module {
  func.func @kernel_adi(%arg0: i32, %arg1: i32, %arg2: memref<1000x1000xf64>, %arg3: memref<1000x1000xf64>, %arg4: memref<1000x1000xf64>, %arg5: memref<1000x1000xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    %cst_0 = arith.constant 1.000000e+00 : f64
    %cst_1 = arith.constant 2.000000e+00 : f64
    %c1000_i32 = arith.constant 1000 : i32
    %c500_i32 = arith.constant 500 : i32
    %0 = arith.sitofp %c1000_i32 : i32 to f64
    %1 = arith.divf %cst_0, %0 : f64
    %2 = arith.sitofp %c1000_i32 : i32 to f64
    %3 = arith.divf %cst_0, %2 : f64
    %4 = arith.sitofp %c500_i32 : i32 to f64
    %5 = arith.divf %cst_0, %4 : f64
    %cst_2 = arith.constant 2.000000e+00 : f64
    %cst_3 = arith.constant 1.000000e+00 : f64
    %6 = arith.mulf %cst_2, %5 : f64
    %7 = arith.mulf %1, %1 : f64
    %8 = arith.divf %6, %7 : f64
    %9 = arith.mulf %cst_3, %5 : f64
    %10 = arith.mulf %3, %3 : f64
    %11 = arith.divf %9, %10 : f64
    %12 = arith.negf %8 : f64
    %13 = arith.divf %12, %cst_1 : f64
    %14 = arith.addf %cst_0, %8 : f64
    %15 = arith.negf %11 : f64
    %16 = arith.divf %15, %cst_1 : f64
    %17 = arith.addf %cst_0, %11 : f64
    affine.for %arg6 = 1 to 501 {
      affine.for %arg7 = 1 to 999 {
        affine.store %cst_0, %arg3[0, %arg7] : memref<1000x1000xf64>
        affine.store %cst, %arg4[%arg7, 0] : memref<1000x1000xf64>
        %18 = affine.load %arg3[0, %arg7] : memref<1000x1000xf64>
        affine.store %18, %arg5[%arg7, 0] : memref<1000x1000xf64>
        affine.for %arg8 = 1 to 999 {
          %19 = arith.negf %13 : f64
          %20 = affine.load %arg4[%arg7, %arg8 - 1] : memref<1000x1000xf64>
          %21 = arith.mulf %13, %20 : f64
          %22 = arith.addf %21, %14 : f64
          %23 = arith.divf %19, %22 : f64
          affine.store %23, %arg4[%arg7, %arg8] : memref<1000x1000xf64>
          %24 = arith.negf %16 : f64
          %25 = affine.load %arg2[%arg8, %arg7 - 1] : memref<1000x1000xf64>
          %26 = arith.mulf %24, %25 : f64
          %27 = arith.mulf %cst_1, %16 : f64
          %28 = arith.addf %cst_0, %27 : f64
          %29 = affine.load %arg2[%arg8, %arg7] : memref<1000x1000xf64>
          %30 = arith.mulf %28, %29 : f64
          %31 = arith.addf %26, %30 : f64
          %32 = affine.load %arg2[%arg8, %arg7 + 1] : memref<1000x1000xf64>
          %33 = arith.mulf %16, %32 : f64
          %34 = arith.subf %31, %33 : f64
          %35 = affine.load %arg5[%arg7, %arg8 - 1] : memref<1000x1000xf64>
          %36 = arith.mulf %13, %35 : f64
          %37 = arith.subf %34, %36 : f64
          %38 = affine.load %arg4[%arg7, %arg8 - 1] : memref<1000x1000xf64>
          %39 = arith.mulf %13, %38 : f64
          %40 = arith.addf %39, %14 : f64
          %41 = arith.divf %37, %40 : f64
          affine.store %41, %arg5[%arg7, %arg8] : memref<1000x1000xf64>
        }
        affine.store %cst_0, %arg3[999, %arg7] : memref<1000x1000xf64>
        affine.for %arg8 = 1 to 999 {
          %19 = affine.load %arg4[%arg7, -%arg8 + 999] : memref<1000x1000xf64>
          %20 = affine.load %arg3[-%arg8 + 1000, %arg7] : memref<1000x1000xf64>
          %21 = arith.mulf %19, %20 : f64
          %22 = affine.load %arg5[%arg7, -%arg8 + 999] : memref<1000x1000xf64>
          %23 = arith.addf %21, %22 : f64
          affine.store %23, %arg3[-%arg8 + 999, %arg7] : memref<1000x1000xf64>
        }
      }
      affine.for %arg7 = 1 to 999 {
        affine.store %cst_0, %arg2[%arg7, 0] : memref<1000x1000xf64>
        affine.store %cst, %arg4[%arg7, 0] : memref<1000x1000xf64>
        %18 = affine.load %arg2[%arg7, 0] : memref<1000x1000xf64>
        affine.store %18, %arg5[%arg7, 0] : memref<1000x1000xf64>
        affine.for %arg8 = 1 to 999 {
          %19 = arith.negf %16 : f64
          %20 = affine.load %arg4[%arg7, %arg8 - 1] : memref<1000x1000xf64>
          %21 = arith.mulf %16, %20 : f64
          %22 = arith.addf %21, %17 : f64
          %23 = arith.divf %19, %22 : f64
          affine.store %23, %arg4[%arg7, %arg8] : memref<1000x1000xf64>
          %24 = arith.negf %13 : f64
          %25 = affine.load %arg3[%arg7 - 1, %arg8] : memref<1000x1000xf64>
          %26 = arith.mulf %24, %25 : f64
          %27 = arith.mulf %cst_1, %13 : f64
          %28 = arith.addf %cst_0, %27 : f64
          %29 = affine.load %arg3[%arg7, %arg8] : memref<1000x1000xf64>
          %30 = arith.mulf %28, %29 : f64
          %31 = arith.addf %26, %30 : f64
          %32 = affine.load %arg3[%arg7 + 1, %arg8] : memref<1000x1000xf64>
          %33 = arith.mulf %13, %32 : f64
          %34 = arith.subf %31, %33 : f64
          %35 = affine.load %arg5[%arg7, %arg8 - 1] : memref<1000x1000xf64>
          %36 = arith.mulf %16, %35 : f64
          %37 = arith.subf %34, %36 : f64
          %38 = affine.load %arg4[%arg7, %arg8 - 1] : memref<1000x1000xf64>
          %39 = arith.mulf %16, %38 : f64
          %40 = arith.addf %39, %17 : f64
          %41 = arith.divf %37, %40 : f64
          affine.store %41, %arg5[%arg7, %arg8] : memref<1000x1000xf64>
        }
        affine.store %cst_0, %arg2[%arg7, 999] : memref<1000x1000xf64>
        affine.for %arg8 = 1 to 999 {
          %19 = affine.load %arg4[%arg7, -%arg8 + 999] : memref<1000x1000xf64>
          %20 = affine.load %arg2[%arg7, -%arg8 + 1000] : memref<1000x1000xf64>
          %21 = arith.mulf %19, %20 : f64
          %22 = affine.load %arg5[%arg7, -%arg8 + 999] : memref<1000x1000xf64>
          %23 = arith.addf %21, %22 : f64
          affine.store %23, %arg2[%arg7, -%arg8 + 999] : memref<1000x1000xf64>
        }
      }
    }
    return
  }
}
