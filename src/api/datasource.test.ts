import { boundariesOf } from './datasource';

describe('bucket boundaries for the editor', () => {
  it('reads le values in every client spelling as numbers, one per bound, without +Inf', () => {
    // Go "1e+06", older Python "1000000.0", Java "1.0E6" and "5.0E-4", JavaScript "0.00001".
    expect(boundariesOf(['0.5', '1e+06', '1000000.0', '1.0E6', '5.0E-4', '0.0005', '1e-05', '0.00001', '+Inf', '1', '1.0'])).toEqual([1e-5, 5e-4, 0.5, 1, 1e6]);
  });
});
