// The paths of Katapult's interface endpoints, under /core/v1: the client's requests and the
// scopes table both name them.
export const VM_INTERFACES_PATH = '/virtual_machines/virtual_machine/network_interfaces'
export const INTERFACE_PATH = '/virtual_machine_network_interfaces/virtual_machine_network_interface'
